package io.plinth.provisioning.identity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keycloak in the readiness report, as {@code degraded} rather than down: without Keycloak the
 * control plane still serves everything but identity work (which waits and retries), so the node
 * stays ready. Each instance's realm page is asked within a bound shorter than the health timeout.
 */
public final class KeycloakReadiness implements ReadinessCheck {

  private final List<KeycloakAdmin> instances;
  private final long timeoutMillis;
  private final AtomicInteger down = new AtomicInteger();

  public KeycloakReadiness(List<KeycloakAdmin> instances, Duration healthTimeout) {
    this.instances = List.copyOf(instances);
    this.timeoutMillis = Math.max(100, healthTimeout.toMillis() / 2);
  }

  /**
   * {@code plinth_keycloak_instances_down}: instances that did not answer the last check (the node
   * checks readiness every few seconds); more than 0 is what {@code degraded} reports.
   */
  public static void registerMetrics(MeterRegistry meters, Optional<KeycloakReadiness> readiness) {
    Gauge.builder(
            "plinth.keycloak.instances.down", readiness, r -> r.map(k -> k.down.get()).orElse(0))
        .description("Keycloak instances that did not answer the last readiness check")
        .register(meters);
  }

  @Override
  public String name() {
    return "keycloak";
  }

  @Override
  public Future<JsonObject> check() {
    List<Future<Void>> pings = instances.stream().map(i -> i.ping(timeoutMillis)).toList();
    return Future.join(pings)
        .transform(
            ignored -> {
              JsonObject byName = new JsonObject();
              String reason = null;
              int failed = 0;
              for (int i = 0; i < instances.size(); i++) {
                Future<Void> ping = pings.get(i);
                failed += ping.failed() ? 1 : 0;
                byName.put(instances.get(i).instance().name(), ping.succeeded() ? "UP" : "DOWN");
                if (ping.failed() && reason == null) {
                  reason = ping.cause().getMessage();
                }
              }
              down.set(failed);
              JsonObject report = new JsonObject().put("instances", byName);
              if (reason != null) {
                report
                    .put("degraded", true)
                    .put("reason", reason + "; identity work waits and retries");
              }
              return Future.succeededFuture(report);
            });
  }
}
