package io.plinth.provisioning.migrations;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.ids.Uuids;
import io.plinth.platform.registry.MigrationRuns;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.provisioning.admin.Paging;
import io.plinth.provisioning.tenants.TenantSchemas;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies pending tenant-schema migrations to every tenant. A run is a row per tenant; workers
 * claim rows with a lease ({@link MigrationRuns#claim}), migrate the schema under its advisory
 * lock, and record done or failed. A failure in one tenant does not stop the others; a restart (on
 * any node) picks the run up where it was. Claiming a row twice is harmless: the advisory lock
 * serialises the two, and the second finds nothing pending.
 */
public final class FleetMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(FleetMigrations.class);
  private static final int FAILURES_SHOWN = 100;

  private final Vertx vertx;
  private final MigrationRuns runs;
  private final TenantRepository tenants;
  private final TenantSchemas schemas;
  private final int parallelism;
  private final Duration lease;

  public FleetMigrations(
      Vertx vertx,
      MigrationRuns runs,
      TenantRepository tenants,
      TenantSchemas schemas,
      int parallelism,
      Duration lease) {
    this.vertx = vertx;
    this.runs = runs;
    this.tenants = tenants;
    this.schemas = schemas;
    this.parallelism = parallelism;
    this.lease = lease;
  }

  /** Starts a run over every active or suspended tenant; returns its id at once. */
  public Future<UUID> start() {
    UUID run = Uuids.timeOrdered();
    return runs.start(run, parallelism)
        .map(
            ignored -> {
              work(run);
              return run;
            });
  }

  /** Resumes runs a stop or crash interrupted (on start-up). */
  public Future<Void> resumeRunning() {
    return runs.running()
        .map(
            running -> {
              running.forEach(
                  run -> {
                    LOG.info("resuming fleet migration {}", kv("run", run));
                    work(run);
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
    return runs.claim(run, lease)
        .compose(
            claimed -> {
              if (claimed.isEmpty()) {
                return Future.succeededFuture();
              }
              MigrationRuns.Claimed tenant = claimed.get();
              return schemas
                  .migrate(tenant.schema())
                  .compose(version -> tenants.setSchemaVersion(tenant.tenantId(), version))
                  .compose(ignored -> runs.done(run, tenant.tenantId()))
                  .recover(
                      failure -> {
                        LOG.warn(
                            "tenant migration failed {} {}",
                            kv("tenant", tenant.slug()),
                            kv("reason", failure.getMessage()));
                        return runs.failed(run, tenant.tenantId(), message(failure));
                      })
                  .compose(ignored -> nextTenant(run));
            });
  }

  /**
   * Completes the run when no tenant is left; otherwise the rest are claimed by a node that died or
   * by another node still working: try again once the earliest of their leases ends.
   */
  private void finishOrWaitForLeases(UUID run) {
    runs.completeIfFinished(run)
        .compose(
            completed -> {
              if (completed) {
                LOG.info("fleet migration completed {}", kv("run", run));
                return Future.succeededFuture();
              }
              return runs.untilFirstLeaseEnds(run)
                  .map(
                      left -> {
                        left.ifPresent(
                            wait ->
                                vertx.setTimer(
                                    Math.max(100, wait.toMillis() + 100), t -> work(run)));
                        return null;
                      });
            })
        .onFailure(e -> LOG.warn("could not check fleet migration {}", kv("run", run), e));
  }

  /** Progress of a run: counts per status and the failures, or 404. */
  public Future<JsonObject> progress(UUID run) {
    return runs.find(run, FAILURES_SHOWN)
        .compose(
            found ->
                found
                    .map(r -> Future.succeededFuture(progress(r)))
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                new ProblemException(
                                    404, "migration_not_found", "no migration run " + run))));
  }

  /**
   * A page of runs, newest first, each as {@link #progress(UUID)} shows it: {@code {items, next}}.
   */
  public Future<JsonObject> page(Paging paging) {
    return runs.page(paging.after(), paging.fetch(), FAILURES_SHOWN)
        .map(page -> paging.page(page, FleetMigrations::progress, MigrationRuns.Run::id));
  }

  private static JsonObject progress(MigrationRuns.Run run) {
    Map<String, Long> counts = run.tenantsByState();
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    JsonArray failures = new JsonArray();
    run.failures()
        .forEach(
            f -> failures.add(new JsonObject().put("tenant", f.tenant()).put("error", f.error())));
    return new JsonObject()
        .put("id", run.id().toString())
        .put("status", run.status())
        .put("parallelism", run.parallelism())
        .put("createdAt", run.createdAt().toString())
        .put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString())
        .put("total", total)
        .put("done", counts.getOrDefault("done", 0L))
        .put("failed", counts.getOrDefault("failed", 0L))
        .put("pending", counts.getOrDefault("pending", 0L) + counts.getOrDefault("running", 0L))
        .put("failures", failures);
  }

  private static String message(Throwable failure) {
    String text =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return text.length() > 500 ? text.substring(0, 500) : text;
  }
}
