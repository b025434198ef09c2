package io.plinth.platform.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stop is bounded by {@link PlinthNode#longestStop}, the figure a process manager's grace
 * period (Kubernetes' terminationGracePeriodSeconds) is sized from, even when neither an in-flight
 * request nor the service's stop work ever finishes. PostgreSQL is unreachable here on purpose.
 */
class PlinthNodeStopTest {

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);

  /** Released by each request to {@code /test/hang} as it arrives; it is never answered. */
  private static final Semaphore HANG_ARRIVED = new Semaphore(0);

  private static final PlinthService STUCK_SERVICE =
      new PlinthService() {
        @Override
        public String name() {
          return "test";
        }

        @Override
        public Map<String, String> defaults() {
          return Map.of();
        }

        @Override
        public Future<Routes> start(Infrastructure infra) {
          return Future.succeededFuture(
              new Routes() {
                @Override
                public void addTo(Router router) {
                  router.get("/test/hang").handler(ctx -> HANG_ARRIVED.release());
                }

                @Override
                public Future<Void> stop() {
                  return Promise.<Void>promise().future();
                }
              });
        }
      };

  @Test
  void theDefaultTimeoutGivesTheFigureTheChartIsSizedFrom() {
    // 2 s leaving the node directory, 10 s in-flight requests, 10 s stop work, 30 s member leave,
    // 5 s closing pools and Vert.x.
    assertThat(PlinthNode.longestStop(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(57));
  }

  @Test
  void aStopWithAStuckRequestAndStuckStopWorkWaitsBothTimeoutsAndStaysWithinTheBound()
      throws Exception {
    int clusterPort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    Map<String, String> settings =
        Map.of(
            "plinth.http.port", "0",
            "plinth.http.host", "127.0.0.1",
            "plinth.http.instances", "1",
            "plinth.db.url", "postgresql://127.0.0.1:1/nothing-listens-here",
            "plinth.db.connect-timeout", "500ms",
            "plinth.cluster.name", "test-" + UUID.randomUUID(),
            "plinth.cluster.port", String.valueOf(clusterPort),
            "plinth.cluster.members", "127.0.0.1:" + clusterPort,
            "plinth.shutdown.timeout", SHUTDOWN_TIMEOUT.toSeconds() + "s");
    PlinthConfig config =
        PlinthConfig.load(new ConfigSource(settings, new Properties(), Map.of(), Map.of()));
    PlinthNode node = PlinthNode.start(STUCK_SERVICE, config).await();
    CompletableFuture<HttpResponse<String>> stuck =
        // HTTP/1.1, as load balancers speak to nodes.
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/test/hang"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(HANG_ARRIVED.tryAcquire(5, TimeUnit.SECONDS)).as("request in flight").isTrue();

    long started = System.nanoTime();
    node.stop().await(PlinthNode.longestStop(SHUTDOWN_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isGreaterThanOrEqualTo(SHUTDOWN_TIMEOUT.multipliedBy(2));
    assertThat(took).isLessThan(PlinthNode.longestStop(SHUTDOWN_TIMEOUT));
    assertThat(stuck)
        .as("the stuck request's connection is closed, not left open")
        .failsWithin(Duration.ofSeconds(5));
  }
}
