package io.plinth.platform.registry;

import io.plinth.platform.ids.Uuids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** Which events to list: each given one must match exactly. */
  public record Filter(
      Optional<String> tenant,
      Optional<String> actor,
      Optional<String> action,
      Optional<AuditEvent.Outcome> outcome) {

    public static final Filter NONE =
        new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Up to {@code limit} events that match {@code filter}, newest first; {@code before} is the id of
   * the last event of the previous page. Only the given filters are in the statement, so that each
   * plan can use the index of its column (registry migrations V1 and V7).
   */
  public Future<List<AuditEvent>> page(Filter filter, Optional<UUID> before, int limit) {
    List<Object> values = new ArrayList<>(Arrays.asList(before.orElse(null), limit));
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, at, actor, action, target, tenant, outcome, status, source_address,"
                + " request_id FROM plinth.audit_events WHERE ($1::uuid IS NULL OR id < $1)");
    equal(sql, values, "tenant", filter.tenant());
    equal(sql, values, "actor", filter.actor());
    equal(sql, values, "action", filter.action());
    equal(sql, values, "outcome", filter.outcome().map(AuditEvent.Outcome::wire));
    return pool.preparedQuery(sql.append(" ORDER BY id DESC LIMIT $2").toString())
        .execute(Tuple.from(values))
        .map(
            rows -> {
              List<AuditEvent> events = new ArrayList<>();
              rows.forEach(row -> events.add(event(row)));
              return events;
            });
  }

  private static void equal(
      StringBuilder sql, List<Object> values, String column, Optional<String> value) {
    if (value.isPresent()) {
      values.add(value.get());
      sql.append(" AND ").append(column).append(" = $").append(values.size());
    }
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
