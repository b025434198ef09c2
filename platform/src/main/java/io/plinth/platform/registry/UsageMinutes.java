package io.plinth.platform.registry;

import io.plinth.platform.usage.UsageCounts;
import io.plinth.platform.usage.UsageRecorder;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code plinth.usage_minutes}: tenants' requests, errors and latency per counted period.
 * Data-plane nodes add their counts of a finished period in one statement; the control plane reads
 * a tenant's (or the platform's) rows for the series and prunes old ones.
 */
public final class UsageMinutes {

  /** A stored row: a period's start and its counts. */
  public record Minute(Instant at, UsageCounts counts) {}

  // Each node adds its counts to the rows other nodes wrote for the same period: the histograms
  // bucket by bucket (unnest pads the shorter array with nulls). Rows are sent in one order, the
  // tenant's, so nodes adding to the same rows at once wait for each other instead of deadlocking.
  private static final String ADD =
      "INSERT INTO plinth.usage_minutes AS m (tenant_id, at, requests, errors, latency)"
          + " SELECT t, $1, r, e, h::bigint[] FROM unnest($2::uuid[], $3::bigint[], $4::bigint[],"
          + " $5::text[]) WITH ORDINALITY AS u(t, r, e, h, n) ORDER BY n"
          + " ON CONFLICT (tenant_id, at) DO UPDATE SET requests = m.requests + excluded.requests,"
          + " errors = m.errors + excluded.errors, latency = (SELECT"
          + " array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY i) FROM unnest(m.latency,"
          + " excluded.latency) WITH ORDINALITY AS x(a, b, i))";

  private final Pool pool;

  public UsageMinutes(Pool pool) {
    this.pool = pool;
  }

  /** Adds one finished period's counts, each tenant's and the platform's, in one statement. */
  public Future<Void> add(UsageRecorder.Period period) {
    List<UsageCounts> rows = new ArrayList<>(period.counts());
    rows.add(period.total());
    return pool.preparedQuery(ADD)
        .execute(
            Tuple.of(
                OffsetDateTime.ofInstant(period.start(), ZoneOffset.UTC),
                rows.stream().map(UsageCounts::tenant).toArray(UUID[]::new),
                rows.stream().map(UsageCounts::requests).toArray(Long[]::new),
                rows.stream().map(UsageCounts::errors).toArray(Long[]::new),
                rows.stream().map(row -> arrayLiteral(row.latency())).toArray(String[]::new)))
        .mapEmpty();
  }

  /** The rows of {@code tenant} ({@link UsageCounts#PLATFORM}: all) from {@code from} on. */
  public Future<List<Minute>> since(UUID tenant, Instant from) {
    return pool.preparedQuery(
            "SELECT at, requests, errors, latency FROM plinth.usage_minutes"
                + " WHERE tenant_id = $1 AND at >= $2 ORDER BY at")
        .execute(Tuple.of(tenant, OffsetDateTime.ofInstant(from, ZoneOffset.UTC)))
        .map(
            rows -> {
              List<Minute> minutes = new ArrayList<>();
              for (Row row : rows) {
                Long[] latency = row.getArrayOfLongs("latency");
                minutes.add(
                    new Minute(
                        row.getOffsetDateTime("at").toInstant(),
                        new UsageCounts(
                            tenant,
                            row.getLong("requests"),
                            row.getLong("errors"),
                            Arrays.stream(latency).mapToLong(Long::longValue).toArray())));
              }
              return minutes;
            });
  }

  /** Deletes up to {@code batch} rows older than {@code before}; how many it deleted. */
  public Future<Integer> prune(SqlClient client, Instant before, int batch) {
    return Pruning.prune(client, "plinth.usage_minutes", "at < $1", before, batch);
  }

  private static String arrayLiteral(long[] counts) {
    return Arrays.stream(counts)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(",", "{", "}"));
  }
}
