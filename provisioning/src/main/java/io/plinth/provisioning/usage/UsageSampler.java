package io.plinth.provisioning.usage;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.registry.TenantUsage;
import io.plinth.platform.registry.UsageMinutes;
import io.plinth.platform.registry.UsageSamples;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's half of the usage series, every {@code plinth.usage.sample-interval}:
 * measures rows and storage of at most {@code plinth.usage.sample-batch} tenants (those with
 * traffic since their last measurement, the least recently measured first), stores them and the
 * platform's total, then prunes what is older than the retention, a bounded number of batches per
 * cycle. One control plane node runs a cycle at a time (a PostgreSQL advisory lock held by the
 * cycle's connection; the others skip it), and the cycle's statements run one after the other on
 * that one connection: at any fleet size the cycle takes one connection and a bounded amount of
 * work.
 */
public final class UsageSampler {

  /** Rows one pruning statement deletes at most. */
  static final int PRUNE_BATCH = 5_000;

  /**
   * Pruning statements per table per cycle: 100,000 rows, over the 50,000 counted periods 10,000
   * busy tenants add in 5 minutes, so pruning keeps up and still never runs long.
   */
  static final int PRUNE_BATCHES = 20;

  private static final Logger LOG = LoggerFactory.getLogger(UsageSampler.class);
  private static final String LOCK = "SELECT pg_try_advisory_lock(hashtextextended($1, 0))";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended($1, 0))";
  private static final String LOCK_NAME = "plinth.usage.sampler";

  private final Pool pool;
  private final UsageSamples samples;
  private final UsageMinutes minutes;
  private final int batch;
  private final Duration period;
  private final Duration retention;
  private final Clock clock;
  private boolean running;

  public UsageSampler(
      Pool pool,
      UsageSamples samples,
      UsageMinutes minutes,
      int batch,
      Duration period,
      Duration retention,
      Clock clock) {
    this.pool = pool;
    this.samples = samples;
    this.minutes = minutes;
    this.batch = batch;
    this.period = period;
    this.retention = retention;
    this.clock = clock;
  }

  public void runEvery(Vertx vertx, Duration interval) {
    vertx.setPeriodic(interval.toMillis(), ignored -> cycle());
  }

  /** One cycle, unless this node's previous one still runs; never fails. */
  Future<Void> cycle() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    return pool.withConnection(this::lockedCycle)
        .onFailure(e -> LOG.warn("usage sampling cycle failed", e))
        .otherwiseEmpty()
        .onComplete(ignored -> running = false)
        .mapEmpty();
  }

  private Future<Void> lockedCycle(SqlConnection conn) {
    return conn.preparedQuery(LOCK)
        .execute(io.vertx.sqlclient.Tuple.of(LOCK_NAME))
        .compose(
            rows ->
                rows.iterator().next().getBoolean(0)
                    ? measureAndPrune(conn)
                        .eventually(
                            () ->
                                conn.preparedQuery(UNLOCK)
                                    .execute(io.vertx.sqlclient.Tuple.of(LOCK_NAME)))
                    : Future.succeededFuture());
  }

  private Future<Void> measureAndPrune(SqlConnection conn) {
    Instant now = clock.instant();
    return samples
        .due(conn, batch, period)
        .compose(due -> measure(conn, due, 0, new LinkedHashMap<>()))
        .compose(measured -> samples.insert(conn, now, measured))
        .compose(ignored -> samples.insertTotal(conn, now))
        .compose(ignored -> prune(conn, now.minus(retention), 0));
  }

  /** Measures the tenants one after the other; one that cannot be measured is left for later. */
  private Future<Map<UUID, TenantUsage>> measure(
      SqlConnection conn, List<UsageSamples.Due> due, int next, Map<UUID, TenantUsage> measured) {
    if (next == due.size()) {
      return Future.succeededFuture(measured);
    }
    UsageSamples.Due tenant = due.get(next);
    return TenantUsage.measure(conn, tenant.schema())
        .map(
            usage -> {
              measured.put(tenant.tenant(), usage);
              return measured;
            })
        .otherwise(
            failure -> {
              LOG.warn("could not measure a tenant's usage {}", kv("tenant", tenant.tenant()));
              return measured;
            })
        .compose(all -> measure(conn, due, next + 1, all));
  }

  private Future<Void> prune(SqlConnection conn, Instant before, int round) {
    if (round == PRUNE_BATCHES) {
      return Future.succeededFuture();
    }
    return Future.all(
            minutes.prune(conn, before, PRUNE_BATCH), samples.prune(conn, before, PRUNE_BATCH))
        .compose(
            deleted ->
                deleted.<Integer>resultAt(0) < PRUNE_BATCH
                        && deleted.<Integer>resultAt(1) < PRUNE_BATCH
                    ? Future.succeededFuture()
                    : prune(conn, before, round + 1));
  }
}
