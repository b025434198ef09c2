package io.plinth.platform.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
  private final AtomicBoolean lastReady = new AtomicBoolean();

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
              lastReady.set(allUp && !isDraining);
              return Future.succeededFuture(new Report(allUp && !isDraining, isDraining, report));
            });
  }

  /**
   * {@code plinth_ready}: 1 when the last evaluation found the node ready, 0 before the first and
   * while not ready or draining. The node evaluates every {@link #METRIC_PERIOD}, and on each
   * {@code /health/ready}.
   */
  public void registerMetrics(MeterRegistry meters) {
    Gauge.builder("plinth.ready", lastReady, ready -> ready.get() ? 1 : 0)
        .description("1 when the node's last readiness evaluation found it ready")
        .register(meters);
  }

  /** How often the node evaluates readiness for {@code plinth_ready} (and the checks' gauges). */
  public static final Duration METRIC_PERIOD = Duration.ofSeconds(10);

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
