package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One entry of the audit trail: who did what to which path, and how it went. */
public record AuditEvent(
    UUID id,
    OffsetDateTime at,
    String actor,
    String action,
    String target,
    String tenant,
    String outcome,
    int status,
    String sourceAddress,
    String requestId) {

  static AuditEvent from(JsonNode node) {
    return new AuditEvent(
        Json.uuid(node, "id"),
        Json.time(node, "at"),
        Json.text(node, "actor"),
        Json.text(node, "action"),
        Json.text(node, "target"),
        Json.text(node, "tenant"),
        Json.text(node, "outcome"),
        (int) Json.number(node, "status"),
        Json.text(node, "sourceAddress"),
        Json.text(node, "requestId"));
  }
}
