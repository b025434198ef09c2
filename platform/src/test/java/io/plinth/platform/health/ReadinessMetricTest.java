package io.plinth.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code plinth_ready} follows the last readiness evaluation: a failing check and draining. */
class ReadinessMetricTest {

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicBoolean databaseUp = new AtomicBoolean(true);
  private final Readiness readiness =
      new Readiness(
          List.of(
              new ReadinessCheck() {
                @Override
                public String name() {
                  return "postgresql";
                }

                @Override
                public Future<JsonObject> check() {
                  return databaseUp.get()
                      ? Future.succeededFuture(new JsonObject())
                      : Future.failedFuture("connection refused");
                }
              }),
          Duration.ofSeconds(1));

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theGaugeShowsTheLastEvaluation() throws Exception {
    readiness.registerMetrics(meters);
    assertThat(ready()).as("before the first evaluation").isZero();

    readiness.evaluate(vertx).await(5, TimeUnit.SECONDS);
    assertThat(ready()).isEqualTo(1);

    databaseUp.set(false);
    readiness.evaluate(vertx).await(5, TimeUnit.SECONDS);
    assertThat(ready()).isZero();

    databaseUp.set(true);
    readiness.startDraining();
    readiness.evaluate(vertx).await(5, TimeUnit.SECONDS);
    assertThat(ready()).as("draining").isZero();
  }

  private double ready() {
    return meters.get("plinth.ready").gauge().value();
  }
}
