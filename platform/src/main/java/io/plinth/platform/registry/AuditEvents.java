package io.plinth.platform.registry;

import io.plinth.platform.ids.Uuids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The audit trail in the registry, {@code plinth.audit_events}: appended to, read newest first. The
 * table refuses updates and deletes (registry migration V1).
 */
public final class AuditEvents {

  /** An event to append; the registry gives it its id and time. */
  public record NewEvent(
      String actor,
      String action,
      String target,
      String tenant,
      int status,
      String sourceAddress,
      String requestId) {}

  private final Pool pool;

  public AuditEvents(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> append(NewEvent event) {
    return pool.preparedQuery(
            "INSERT INTO plinth.audit_events (id, actor, action, target, tenant, outcome, status,"
                + " source_address, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(
            Tuple.from(
                new Object[] {
                  Uuids.timeOrdered(),
                  event.actor(),
                  event.action(),
                  event.target(),
                  event.tenant(),
                  AuditEvent.Outcome.of(event.status()).wire(),
                  event.status(),
                  event.sourceAddress(),
                  event.requestId()
                }))
        .mapEmpty();
  }

  /**
   * Up to {@code limit} events, newest first, optionally of one tenant; {@code before} is the id of
   * the last event of the previous page.
   */
  public Future<List<AuditEvent>> page(Optional<String> tenant, Optional<UUID> before, int limit) {
    return pool.preparedQuery(
            "SELECT id, at, actor, action, target, tenant, outcome, status, source_address,"
                + " request_id FROM plinth.audit_events WHERE ($1::text IS NULL OR tenant = $1) AND"
                + " ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(tenant.orElse(null), before.orElse(null), limit))
        .map(
            rows -> {
              List<AuditEvent> events = new ArrayList<>();
              rows.forEach(row -> events.add(event(row)));
              return events;
            });
  }

  private static AuditEvent event(Row row) {
    return new AuditEvent(
        row.getUUID("id"),
        row.getOffsetDateTime("at"),
        row.getString("actor"),
        row.getString("action"),
        row.getString("target"),
        row.getString("tenant"),
        AuditEvent.Outcome.valueOf(row.getString("outcome").toUpperCase(Locale.ROOT)),
        row.getInteger("status"),
        row.getString("source_address"),
        row.getString("request_id"));
  }
}
