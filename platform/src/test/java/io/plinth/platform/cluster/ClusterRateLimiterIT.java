package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The limiter against a real Hazelcast member, with a clock the test moves. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRateLimiterIT {

  private HazelcastInstance member;
  private Vertx vertx;
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-28T10:00:00.100Z"));
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  @BeforeAll
  void start() {
    member = TestMember.start(6000);
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() throws Exception {
    member.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Sends {@code n} requests at once through the limiters in turn, on an event loop as the data
   * plane does (where a cluster answer can complete on the calling thread); how many were allowed.
   */
  private long allowed(List<ClusterRateLimiter> nodes, String scope, int limit, int n)
      throws Exception {
    CompletableFuture<Long> result = new CompletableFuture<>();
    vertx.runOnContext(
        ignored -> {
          List<Future<ClusterRateLimiter.Decision>> decisions = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            decisions.add(nodes.get(i % nodes.size()).acquire(scope, limit));
          }
          Future.all(decisions)
              .onComplete(
                  done -> {
                    if (done.failed()) {
                      result.completeExceptionally(done.cause());
                    } else {
                      result.complete(decisions.stream().filter(d -> d.result().allowed()).count());
                    }
                  });
        });
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWindowAdmitsExactlyTheLimitAcrossNodesAndTheNextStartsAfresh() throws Exception {
    List<ClusterRateLimiter> nodes =
        List.of(
            new ClusterRateLimiter(member, vertx, clock),
            new ClusterRateLimiter(member, vertx, clock),
            new ClusterRateLimiter(member, vertx, clock));
    String scope = "tenant:" + UUID.randomUUID();
    assertThat(allowed(nodes, scope, 200, 500)).isEqualTo(200);
    assertThat(allowed(nodes, scope, 200, 10)).isZero();

    now.set(now.get().plusSeconds(1));
    assertThat(allowed(nodes, scope, 200, 150)).isEqualTo(150);
    assertThat(allowed(nodes, scope, 200, 150)).isEqualTo(50);
  }

  @Test
  void aTinyLimitNeedsARefillPerRequestAndStillStopsAtTheLimit() throws Exception {
    ClusterRateLimiter node = new ClusterRateLimiter(member, vertx, clock);
    String scope = "key:" + UUID.randomUUID();
    // One at a time, as a slow client sends: every request takes a fresh allotment of one.
    long allowed = 0;
    for (int i = 0; i < 25; i++) {
      allowed += allowed(List.of(node), scope, 10, 1);
    }
    assertThat(allowed).isEqualTo(10);
  }
}
