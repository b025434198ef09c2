package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's API key as listed: never its plaintext, only its first characters. */
public record ApiKey(
    UUID id,
    KeyKind kind,
    String name,
    String prefix,
    OffsetDateTime createdAt,
    OffsetDateTime expiresAt,
    OffsetDateTime revokedAt,
    OffsetDateTime lastUsedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  static ApiKey from(JsonNode node) {
    return new ApiKey(
        Json.uuid(node, "id"),
        KeyKind.of(Json.text(node, "kind")),
        Json.text(node, "name"),
        Json.text(node, "prefix"),
        Json.time(node, "createdAt"),
        Json.time(node, "expiresAt"),
        Json.time(node, "revokedAt"),
        Json.time(node, "lastUsedAt"));
  }
}
