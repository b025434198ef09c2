package io.plinth.platform.registry;

import io.plinth.platform.usage.UsageCounts;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code plinth.usage_storage}: tenants' rows and bytes on disk as the control plane measured them,
 * and the platform's total. Which tenants are due, what they measured, the series, pruning.
 */
public final class UsageSamples {

  /** A measurement of a tenant (or the platform's total) at a time. */
  public record Sample(Instant at, TenantUsage usage) {}

  /** A tenant to measure: its id and schema. */
  public record Due(UUID tenant, String schema) {}

  private static final String LATEST =
      "SELECT at, rows, storage_bytes FROM plinth.usage_storage s WHERE s.tenant_id = t.id"
          + " ORDER BY at DESC LIMIT 1";

  private final Pool pool;

  public UsageSamples(Pool pool) {
    this.pool = pool;
  }

  /**
   * Up to {@code limit} active tenants to measure: those never measured, and those with traffic
   * counted since their last measurement (a tenant without requests stores what it stored), the
   * least recently measured first. Two index probes per active tenant, no scan of the history.
   *
   * @param period the counted period's length: traffic in the period that held the last measurement
   *     counts as after it
   */
  public Future<List<Due>> due(SqlClient client, int limit, Duration period) {
    return client
        .preparedQuery(
            "SELECT t.id, t.schema_name FROM plinth.tenants t LEFT JOIN LATERAL ("
                + LATEST
                + ") last ON true WHERE t.status = 'active' AND (last.at IS NULL OR EXISTS (SELECT"
                + " 1 FROM plinth.usage_minutes m WHERE m.tenant_id = t.id AND m.at > last.at -"
                + " $2 * interval '1 millisecond')) ORDER BY last.at NULLS FIRST, t.id LIMIT $1")
        .execute(Tuple.of(limit, period.toMillis()))
        .map(
            rows -> {
              List<Due> due = new ArrayList<>();
              rows.forEach(row -> due.add(new Due(row.getUUID(0), row.getString(1))));
              return due;
            });
  }

  /** Stores what the tenants measured at {@code at}, in one statement. */
  public Future<Void> insert(SqlClient client, Instant at, Map<UUID, TenantUsage> measured) {
    if (measured.isEmpty()) {
      return Future.succeededFuture();
    }
    List<UUID> tenants = new ArrayList<>(measured.keySet());
    return client
        .preparedQuery(
            "INSERT INTO plinth.usage_storage (tenant_id, at, rows, storage_bytes) SELECT t, $1,"
                + " r, b FROM unnest($2::uuid[], $3::bigint[], $4::bigint[]) AS u(t, r, b)"
                + " ON CONFLICT DO NOTHING")
        .execute(
            Tuple.of(
                utc(at),
                tenants.toArray(UUID[]::new),
                tenants.stream().map(t -> measured.get(t).rows()).toArray(Long[]::new),
                tenants.stream().map(t -> measured.get(t).storageBytes()).toArray(Long[]::new)))
        .mapEmpty();
  }

  /**
   * Stores the platform's total at {@code at}: the sum of every live tenant's latest measurement
   * (one index probe per tenant).
   */
  public Future<Void> insertTotal(SqlClient client, Instant at) {
    return client
        .preparedQuery(
            "INSERT INTO plinth.usage_storage (tenant_id, at, rows, storage_bytes) SELECT $1, $2,"
                + " coalesce(sum(last.rows), 0), coalesce(sum(last.storage_bytes), 0) FROM"
                + " plinth.tenants t CROSS JOIN LATERAL ("
                + LATEST
                + ") last WHERE t.status IN ('active', 'suspended') ON CONFLICT DO NOTHING")
        .execute(Tuple.of(UsageCounts.PLATFORM, utc(at)))
        .mapEmpty();
  }

  /**
   * The measurements of {@code tenant} ({@link UsageCounts#PLATFORM}: the totals) from {@code from}
   * on, oldest first, after the last one before {@code from}, which holds until the next.
   */
  public Future<List<Sample>> since(UUID tenant, Instant from) {
    return pool.preparedQuery(
            "(SELECT at, rows, storage_bytes FROM plinth.usage_storage WHERE tenant_id = $1 AND at"
                + " < $2 ORDER BY at DESC LIMIT 1) UNION ALL (SELECT at, rows, storage_bytes FROM"
                + " plinth.usage_storage WHERE tenant_id = $1 AND at >= $2 ORDER BY at)")
        .execute(Tuple.of(tenant, utc(from)))
        .map(
            rows -> {
              List<Sample> samples = new ArrayList<>();
              for (Row row : rows) {
                samples.add(
                    new Sample(
                        row.getOffsetDateTime("at").toInstant(),
                        new TenantUsage(row.getLong("rows"), row.getLong("storage_bytes"))));
              }
              samples.sort((a, b) -> a.at().compareTo(b.at()));
              return samples;
            });
  }

  /**
   * Deletes up to {@code batch} measurements older than {@code before}, but never a live tenant's
   * latest: the platform's total sums the latest of every tenant, however old.
   */
  public Future<Integer> prune(SqlClient client, Instant before, int batch) {
    return Pruning.prune(
        client,
        "plinth.usage_storage",
        "o.at < $1 AND (EXISTS (SELECT 1 FROM plinth.usage_storage n WHERE n.tenant_id ="
            + " o.tenant_id AND n.at > o.at) OR NOT EXISTS (SELECT 1 FROM plinth.tenants t WHERE"
            + " t.id = o.tenant_id AND t.status <> 'deleted') AND o.tenant_id <> '"
            + UsageCounts.PLATFORM
            + "')",
        before,
        batch);
  }

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }
}
