package io.plinth.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs every readiness check in parallel, each bounded by a timeout, and says whether the node may
 * take traffic. A node that is shutting down is never ready, so load balancers drain it first.
 */
public final class Readiness {

  /** The outcome: ready or not, and a JSON report with one entry per check. */
  public record Report(boolean ready, boolean draining, JsonObject checks) {}

  private final List<ReadinessCheck> checks;
  private final Duration timeout;
  private final AtomicBoolean draining = new AtomicBoolean();

  public Readiness(List<ReadinessCheck> checks, Duration timeout) {
    this.checks = List.copyOf(checks);
    this.timeout = timeout;
  }

  /** From now on the node reports itself not ready. */
  public void startDraining() {
    draining.set(true);
  }

  public Future<Report> evaluate(Vertx vertx) {
    List<Future<JsonObject>> results = checks.stream().map(check -> runOne(vertx, check)).toList();
    return Future.join(results)
        .transform(
            ignored -> {
              JsonObject report = new JsonObject();
              boolean allUp = true;
              for (int i = 0; i < checks.size(); i++) {
                Future<JsonObject> result = results.get(i);
                if (result.succeeded()) {
                  report.put(
                      checks.get(i).name(),
                      new JsonObject().put("status", "UP").mergeIn(result.result()));
                } else {
                  allUp = false;
                  report.put(
                      checks.get(i).name(),
                      new JsonObject().put("status", "DOWN").put("reason", reason(result.cause())));
                }
              }
              boolean isDraining = draining.get();
              return Future.succeededFuture(new Report(allUp && !isDraining, isDraining, report));
            });
  }

  private Future<JsonObject> runOne(Vertx vertx, ReadinessCheck check) {
    Future<JsonObject> result;
    try {
      result = check.check();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result
        .map(details -> details == null ? new JsonObject() : details)
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A short reason without internals: the exception type's message, first line only. */
  private static String reason(Throwable cause) {
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return cause.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
