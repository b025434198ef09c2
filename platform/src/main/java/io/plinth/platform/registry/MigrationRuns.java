package io.plinth.platform.registry;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Fleet migration runs in the registry: a run ({@code plinth.migration_runs}) and a row per tenant
 * it covers ({@code plinth.migration_run_tenants}), {@code pending}, {@code running} under a lease,
 * then {@code done} or {@code failed}. Workers claim tenants with {@code FOR UPDATE SKIP LOCKED},
 * so no two claim the same tenant while its lease holds.
 */
public final class MigrationRuns {

  /**
   * A run as stored, with how many of its tenants are in each state and the first of its failed
   * tenants by slug.
   */
  public record Run(
      UUID id,
      String status,
      int parallelism,
      OffsetDateTime createdAt,
      OffsetDateTime finishedAt,
      Map<String, Long> tenantsByState,
      List<Failure> failures) {}

  /**
   * A run's columns, its counts per state and up to {@code $1} of its failures: one statement
   * however many runs it reads, each run's counts and failures by the index on (run_id, status).
   */
  private static final String RUNS =
      "SELECT r.id, r.status, r.created_at, r.finished_at, r.parallelism, (SELECT"
          + " json_object_agg(s, n) FROM (SELECT status s, count(*) n FROM"
          + " plinth.migration_run_tenants WHERE run_id = r.id GROUP BY status) c) AS counts,"
          + " (SELECT json_agg(json_build_array(f.slug, f.error) ORDER BY f.slug) FROM (SELECT"
          + " t.slug, m.error FROM plinth.migration_run_tenants m JOIN plinth.tenants t ON t.id ="
          + " m.tenant_id WHERE m.run_id = r.id AND m.status = 'failed' ORDER BY t.slug LIMIT $1) f)"
          + " AS failures FROM plinth.migration_runs r";

  /** A tenant a worker claimed: migrate {@code schema}, then record it done or failed. */
  public record Claimed(UUID tenantId, String slug, String schema) {}

  /** A tenant whose migration failed, by slug, with the error. */
  public record Failure(String tenant, String error) {}

  private final Pool pool;

  public MigrationRuns(Pool pool) {
    this.pool = pool;
  }

  /** Stores a running run over every active or suspended tenant, all of them pending. */
  public Future<Void> start(UUID run, int parallelism) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "INSERT INTO plinth.migration_runs (id, status, parallelism) VALUES ($1,"
                        + " 'running', $2)")
                .execute(Tuple.of(run, parallelism))
                .compose(
                    ignored ->
                        tx.preparedQuery(
                                "INSERT INTO plinth.migration_run_tenants (run_id, tenant_id,"
                                    + " status) SELECT $1, id, 'pending' FROM plinth.tenants"
                                    + " WHERE status IN ('active', 'suspended')")
                            .execute(Tuple.of(run)))
                .mapEmpty());
  }

  /** The runs still running (a stop or crash interrupted them). */
  public Future<List<UUID>> running() {
    return pool.query("SELECT id FROM plinth.migration_runs WHERE status = 'running'")
        .execute()
        .map(
            rows -> {
              List<UUID> runs = new ArrayList<>();
              rows.forEach(row -> runs.add(row.getUUID(0)));
              return runs;
            });
  }

  /**
   * Claims one tenant of the run that is pending, or running under a lease that has ended, for
   * {@code lease}; empty when there is none.
   */
  public Future<Optional<Claimed>> claim(UUID run, Duration lease) {
    return pool.preparedQuery(
            "UPDATE plinth.migration_run_tenants m SET status = 'running', claimed_until = now() +"
                + " make_interval(secs => $2), updated_at = now() FROM plinth.tenants t WHERE"
                + " t.id = m.tenant_id AND (m.run_id, m.tenant_id) = (SELECT run_id, tenant_id FROM"
                + " plinth.migration_run_tenants WHERE run_id = $1 AND (status = 'pending' OR"
                + " (status = 'running' AND claimed_until < now())) LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING m.tenant_id, t.schema_name, t.slug")
        .execute(Tuple.of(run, (int) lease.toSeconds()))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Claimed(
                      row.getUUID("tenant_id"),
                      row.getString("slug"),
                      row.getString("schema_name")));
            });
  }

  public Future<Void> done(UUID run, UUID tenant) {
    return finish(run, tenant, "done", null);
  }

  public Future<Void> failed(UUID run, UUID tenant, String error) {
    return finish(run, tenant, "failed", error);
  }

  private Future<Void> finish(UUID run, UUID tenant, String state, String error) {
    return pool.preparedQuery(
            "UPDATE plinth.migration_run_tenants SET status = $3, error = $4, claimed_until = NULL,"
                + " updated_at = now() WHERE run_id = $1 AND tenant_id = $2")
        .execute(Tuple.of(run, tenant, state, error))
        .mapEmpty();
  }

  /**
   * Marks the run completed when none of its tenants is pending or running.
   *
   * @return whether it was marked now
   */
  public Future<Boolean> completeIfFinished(UUID run) {
    return pool.preparedQuery(
            "UPDATE plinth.migration_runs SET status = 'completed', finished_at = now() WHERE id ="
                + " $1 AND status = 'running' AND NOT EXISTS (SELECT 1 FROM"
                + " plinth.migration_run_tenants WHERE run_id = $1 AND status IN ('pending',"
                + " 'running'))")
        .execute(Tuple.of(run))
        .map(rows -> rows.rowCount() > 0);
  }

  /**
   * How long until the first lease of the run's running tenants ends (negative when one has ended);
   * empty when none is running.
   */
  public Future<Optional<Duration>> untilFirstLeaseEnds(UUID run) {
    return pool.preparedQuery(
            "SELECT extract(epoch FROM min(claimed_until) - now()) FROM"
                + " plinth.migration_run_tenants WHERE run_id = $1 AND status = 'running'")
        .execute(Tuple.of(run))
        .map(
            rows -> {
              Number seconds = (Number) rows.iterator().next().getValue(0);
              return seconds == null
                  ? Optional.empty()
                  : Optional.of(Duration.ofMillis((long) (seconds.doubleValue() * 1000)));
            });
  }

  /** The run, with up to {@code failuresShown} of its failures. */
  public Future<Optional<Run>> find(UUID run, int failuresShown) {
    return pool.preparedQuery(RUNS + " WHERE r.id = $2")
        .execute(Tuple.of(failuresShown, run))
        .map(rows -> runs(rows).stream().findFirst());
  }

  /**
   * Up to {@code limit} runs, newest first (ids are time-ordered), each with up to {@code
   * failuresShown} of its failures; {@code before} is the id of the last run of the previous page.
   */
  public Future<List<Run>> page(Optional<UUID> before, int limit, int failuresShown) {
    return pool.preparedQuery(
            RUNS + " WHERE ($2::uuid IS NULL OR r.id < $2) ORDER BY r.id DESC LIMIT $3")
        .execute(Tuple.of(failuresShown, before.orElse(null), limit))
        .map(MigrationRuns::runs);
  }

  private static List<Run> runs(RowSet<Row> rows) {
    List<Run> runs = new ArrayList<>();
    for (Row row : rows) {
      JsonObject counts =
          row.getJsonObject("counts") == null ? new JsonObject() : row.getJsonObject("counts");
      List<Failure> failures = new ArrayList<>();
      JsonArray failed = (JsonArray) row.getValue("failures");
      if (failed != null) {
        failed.forEach(
            f ->
                failures.add(
                    new Failure(((JsonArray) f).getString(0), ((JsonArray) f).getString(1))));
      }
      runs.add(
          new Run(
              row.getUUID("id"),
              row.getString("status"),
              row.getInteger("parallelism"),
              row.getOffsetDateTime("created_at"),
              row.getOffsetDateTime("finished_at"),
              counts.stream()
                  .collect(
                      Collectors.toMap(
                          Map.Entry::getKey, e -> ((Number) e.getValue()).longValue())),
              failures));
    }
    return runs;
  }
}
