package io.plinth.platform.registry;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One event of the audit trail: who ({@code actor}), what ({@code action}, on the request path
 * {@code target}, about {@code tenant} if any), with which outcome and status, from where, under
 * which request id. {@link #toJson()} is the admin API's view of it.
 */
public record AuditEvent(
    UUID id,
    OffsetDateTime at,
    String actor,
    String action,
    String target,
    String tenant,
    Outcome outcome,
    int status,
    String sourceAddress,
    String requestId) {

  /** Whether the action was done, as the trail records it. */
  public enum Outcome {
    SUCCESS,
    FAILURE;

    /** What a response with this status means: anything from 400 up is a failure. */
    public static Outcome of(int status) {
      return status < 400 ? SUCCESS : FAILURE;
    }

    /** {@code success} or {@code failure}, as the admin API writes it. */
    public static java.util.Optional<Outcome> ofWire(String text) {
      for (Outcome outcome : values()) {
        if (outcome.wire().equals(text)) {
          return java.util.Optional.of(outcome);
        }
      }
      return java.util.Optional.empty();
    }

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("at", at.toString())
        .put("actor", actor)
        .put("action", action)
        .put("target", target)
        .put("tenant", tenant)
        .put("outcome", outcome.wire())
        .put("status", status)
        .put("sourceAddress", sourceAddress)
        .put("requestId", requestId);
  }
}
