package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A tenant as the admin API shows it. {@code limits} and {@code identity} are as the API writes
 * them (null identity: no end-user sign-in); {@code json} is the whole answer, with {@code usage}
 * when it came from {@link Tenants#get}.
 */
public record Tenant(
    UUID id,
    String slug,
    String name,
    String plan,
    TenantStatus status,
    JsonNode limits,
    String schemaVersion,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    JsonNode identity,
    String failure,
    JsonNode json) {

  static Tenant from(JsonNode node) {
    JsonNode identity = node.get("identity");
    return new Tenant(
        Json.uuid(node, "id"),
        Json.text(node, "slug"),
        Json.text(node, "name"),
        Json.text(node, "plan"),
        TenantStatus.of(Json.text(node, "status")),
        node.path("limits"),
        Json.text(node, "schemaVersion"),
        Json.time(node, "createdAt"),
        Json.time(node, "updatedAt"),
        identity == null || identity.isNull() ? null : identity,
        Json.text(node, "failure"),
        node);
  }
}
