package io.plinth.provisioning.migrations;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.ids.Uuids;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.provisioning.tenants.TenantSchemas;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies pending tenant-schema migrations to every tenant. A run is a row per tenant; workers
 * claim rows with {@code FOR UPDATE SKIP LOCKED} and a lease, migrate the schema under its advisory
 * lock, and record done or failed. A failure in one tenant does not stop the others; a restart (on
 * any node) picks the run up where it was. Claiming a row twice is harmless: the advisory lock
 * serialises the two, and the second finds nothing pending.
 */
public final class FleetMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(FleetMigrations.class);
  private static final int LEASE_SECONDS = 30;
  private static final int FAILURES_SHOWN = 100;

  private final Vertx vertx;
  private final Pool pool;
  private final TenantRepository tenants;
  private final TenantSchemas schemas;
  private final int parallelism;

  public FleetMigrations(
      Vertx vertx, Pool pool, TenantRepository tenants, TenantSchemas schemas, int parallelism) {
    this.vertx = vertx;
    this.pool = pool;
    this.tenants = tenants;
    this.schemas = schemas;
    this.parallelism = parallelism;
  }

  /** Starts a run over every active or suspended tenant; returns its id at once. */
  public Future<UUID> start() {
    UUID run = Uuids.timeOrdered();
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
                                .execute(Tuple.of(run))))
        .map(
            ignored -> {
              work(run);
              return run;
            });
  }

  /** Resumes runs a stop or crash interrupted (on start-up). */
  public Future<Void> resumeRunning() {
    return pool.query("SELECT id FROM plinth.migration_runs WHERE status = 'running'")
        .execute()
        .map(
            rows -> {
              rows.forEach(
                  row -> {
                    LOG.info("resuming fleet migration {}", kv("run", row.getUUID(0)));
                    work(row.getUUID(0));
                  });
              return null;
            });
  }

  private void work(UUID run) {
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      workers.add(nextTenant(run));
    }
    Future.join(workers).onComplete(ignored -> finishOrWaitForLeases(run));
  }

  /** One worker: claim a tenant, migrate it, repeat until nothing is left to claim. */
  private Future<Void> nextTenant(UUID run) {
    return claim(run)
        .compose(
            claimed -> {
              if (claimed.isEmpty()) {
                return Future.succeededFuture();
              }
              Row row = claimed.get();
              UUID tenant = row.getUUID("tenant_id");
              return schemas
                  .migrate(row.getString("schema_name"))
                  .compose(version -> tenants.setSchemaVersion(tenant, version))
                  .compose(ignored -> mark(run, tenant, "done", null))
                  .recover(
                      failure -> {
                        LOG.warn(
                            "tenant migration failed {} {}",
                            kv("tenant", row.getString("slug")),
                            kv("reason", failure.getMessage()));
                        return mark(run, tenant, "failed", message(failure));
                      })
                  .compose(ignored -> nextTenant(run));
            });
  }

  private Future<Optional<Row>> claim(UUID run) {
    return pool.preparedQuery(
            "UPDATE plinth.migration_run_tenants m SET status = 'running', claimed_until = now() +"
                + " make_interval(secs => $2), updated_at = now() FROM plinth.tenants t WHERE"
                + " t.id = m.tenant_id AND (m.run_id, m.tenant_id) = (SELECT run_id, tenant_id FROM"
                + " plinth.migration_run_tenants WHERE run_id = $1 AND (status = 'pending' OR"
                + " (status = 'running' AND claimed_until < now())) LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING m.tenant_id, t.schema_name, t.slug")
        .execute(Tuple.of(run, LEASE_SECONDS))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  private Future<Void> mark(UUID run, UUID tenant, String status, String error) {
    return pool.preparedQuery(
            "UPDATE plinth.migration_run_tenants SET status = $3, error = $4, claimed_until = NULL,"
                + " updated_at = now() WHERE run_id = $1 AND tenant_id = $2")
        .execute(Tuple.of(run, tenant, status, error))
        .mapEmpty();
  }

  /**
   * Completes the run when no tenant is left; otherwise the rest are claimed by a node that died or
   * by another node still working: try again once the earliest of their leases ends.
   */
  private void finishOrWaitForLeases(UUID run) {
    pool.preparedQuery(
            "UPDATE plinth.migration_runs SET status = 'completed', finished_at = now() WHERE id ="
                + " $1 AND status = 'running' AND NOT EXISTS (SELECT 1 FROM"
                + " plinth.migration_run_tenants WHERE run_id = $1 AND status IN ('pending',"
                + " 'running'))")
        .execute(Tuple.of(run))
        .compose(
            rows -> {
              if (rows.rowCount() > 0) {
                LOG.info("fleet migration completed {}", kv("run", run));
                return Future.succeededFuture();
              }
              return pool.preparedQuery(
                      "SELECT extract(epoch FROM min(claimed_until) - now()) FROM"
                          + " plinth.migration_run_tenants WHERE run_id = $1 AND status ="
                          + " 'running'")
                  .execute(Tuple.of(run))
                  .map(
                      left -> {
                        Number seconds = (Number) left.iterator().next().getValue(0);
                        if (seconds != null) {
                          long delayMs = Math.max(100, (long) (seconds.doubleValue() * 1000) + 100);
                          vertx.setTimer(delayMs, t -> work(run));
                        }
                        return null;
                      });
            })
        .onFailure(e -> LOG.warn("could not check fleet migration {}", kv("run", run), e));
  }

  /** Progress of a run: counts per status and the failures, or 404. */
  public Future<JsonObject> progress(UUID run) {
    return pool.preparedQuery(
            "SELECT r.status, r.created_at, r.finished_at, r.parallelism, (SELECT json_object_agg(s,"
                + " n) FROM (SELECT status s, count(*) n FROM plinth.migration_run_tenants WHERE"
                + " run_id = r.id GROUP BY status) c) AS counts FROM plinth.migration_runs r WHERE"
                + " r.id = $1")
        .execute(Tuple.of(run))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(
                    new ProblemException(404, "migration_not_found", "no migration run " + run));
              }
              Row row = rows.iterator().next();
              JsonObject counts =
                  row.getJsonObject("counts") == null
                      ? new JsonObject()
                      : row.getJsonObject("counts");
              long total =
                  counts.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
              JsonObject progress =
                  new JsonObject()
                      .put("id", run.toString())
                      .put("status", row.getString("status"))
                      .put("parallelism", row.getInteger("parallelism"))
                      .put("createdAt", row.getOffsetDateTime("created_at").toString())
                      .put(
                          "finishedAt",
                          row.getOffsetDateTime("finished_at") == null
                              ? null
                              : row.getOffsetDateTime("finished_at").toString())
                      .put("total", total)
                      .put("done", counts.getLong("done", 0L))
                      .put("failed", counts.getLong("failed", 0L))
                      .put(
                          "pending", counts.getLong("pending", 0L) + counts.getLong("running", 0L));
              return failures(run).map(failures -> progress.put("failures", failures));
            });
  }

  private Future<JsonArray> failures(UUID run) {
    return pool.preparedQuery(
            "SELECT t.slug, m.error FROM plinth.migration_run_tenants m JOIN plinth.tenants t ON"
                + " t.id = m.tenant_id WHERE m.run_id = $1 AND m.status = 'failed' ORDER BY t.slug"
                + " LIMIT $2")
        .execute(Tuple.of(run, FAILURES_SHOWN))
        .map(
            rows -> {
              JsonArray list = new JsonArray();
              rows.forEach(
                  r ->
                      list.add(
                          new JsonObject()
                              .put("tenant", r.getString(0))
                              .put("error", r.getString(1))));
              return list;
            });
  }

  private static String message(Throwable failure) {
    String text =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return text.length() > 500 ? text.substring(0, 500) : text;
  }
}
