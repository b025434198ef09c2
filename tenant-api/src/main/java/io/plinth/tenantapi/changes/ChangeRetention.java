package io.plinth.tenantapi.changes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps change logs bounded: every {@code interval}, prunes changes older than {@code retention} in
 * the schemas that had changes since the last run (learnt from the notifications, so no node scans
 * every tenant). Several nodes may try the same schema; one does the work. Other per-schema logs
 * that grow only with writes (the idempotency keys of inserts) are pruned in the same pass.
 */
public final class ChangeRetention {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeRetention.class);

  private final ChangeLog log;
  private final Duration retention;
  private final Function<String, Future<Void>> alsoPruned;
  private final Set<String> changed = ConcurrentHashMap.newKeySet();

  /**
   * @param alsoPruned prunes a schema's other write-driven logs, after its changes
   */
  public ChangeRetention(
      ChangeLog log,
      ChangeNotifications notifications,
      Duration retention,
      Function<String, Future<Void>> alsoPruned) {
    this.log = log;
    this.retention = retention;
    this.alsoPruned = alsoPruned;
    notifications.listenToAll(changed::add);
  }

  /** Prunes on a timer; a run waits for the previous one, one schema at a time. */
  public void runEvery(Vertx vertx, Duration interval) {
    vertx.setTimer(
        interval.toMillis(), ignored -> pruneNow().onComplete(done -> runEvery(vertx, interval)));
  }

  /** Prunes the schemas that changed since the last run. */
  public Future<Void> pruneNow() {
    List<String> schemas = new ArrayList<>(changed);
    changed.removeAll(schemas);
    Future<Void> chain = Future.succeededFuture();
    for (String schema : schemas) {
      chain =
          chain.compose(
              ignored ->
                  log.prune(schema, retention)
                      .compose(pruned -> alsoPruned.apply(schema))
                      .recover(
                          failure -> {
                            // A schema dropped since (tenant deleted) has nothing left to prune.
                            LOG.debug(
                                "pruning the logs of {} failed: {}", schema, failure.getMessage());
                            return Future.succeededFuture();
                          }));
    }
    return chain;
  }
}
