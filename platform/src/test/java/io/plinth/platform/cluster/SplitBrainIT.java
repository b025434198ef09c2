package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.plinth.platform.cluster.ClusterCache.LoadOutcome;
import io.plinth.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Split-brain protection with {@code min-members} 2: a member alone (never joined, or left alone
 * when its peer dies) serves every read of a protected cache from PostgreSQL and caches nothing,
 * says so in readiness, and uses the cache again once it is back in a majority.
 */
class SplitBrainIT {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger loads = new AtomicInteger();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private HazelcastInstance first;
  private HazelcastInstance second;

  @AfterEach
  void stop() throws Exception {
    for (HazelcastInstance member : new HazelcastInstance[] {first, second}) {
      if (member != null && member.getLifecycleService().isRunning()) {
        member.getLifecycleService().terminate();
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMemberWithoutTheMajorityReadsPostgresqlAndCachesNothing() throws Exception {
    String name = "split-" + UUID.randomUUID();
    int port = 6100 + (int) (Math.random() * 80) * 2;
    List<String> members = List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1));
    first = TestMember.start(name, port, members, 2);
    ClusterCache<String> cache =
        new ClusterCache<>(
            first,
            ClusterMaps.TENANTS,
            vertx,
            key -> Future.succeededFuture(Optional.of("loaded " + loads.incrementAndGet())),
            Function.identity(),
            Function.identity(),
            Duration.ZERO,
            meters);
    LoadOutcomes outcomes = LoadOutcomes.of(cache);

    // Alone: below the minimum of 2.
    assertThat(ClusterMember.hasMajority(first)).isFalse();
    assertThat(readiness(first).getBoolean("majority")).isFalse();
    String key = "t1/" + UUID.randomUUID();
    assertThat(await(cache.get(key))).contains("loaded 1");
    assertThat(await(cache.get(key))).as("nothing was cached").contains("loaded 2");
    assertThat(bypasses()).isEqualTo(2);

    // A second member joins: the cache is used again.
    second = TestMember.start(name, port + 1, members, 2);
    waitFor(() -> ClusterMember.hasMajority(first), "the majority regained");
    assertThat(readiness(first).getBoolean("majority")).isTrue();
    String shared = "t1/" + UUID.randomUUID();
    assertThat(await(cache.get(shared))).contains("loaded 3");
    assertThat(outcomes.next()).as("the fill, on the entry's owner").isEqualTo(LoadOutcome.STORED);
    assertThat(await(cache.get(shared))).as("served from the cache").contains("loaded 3");
    assertThat(loads.get()).isEqualTo(3);

    // The peer dies: alone again, back to PostgreSQL for every read.
    second.getLifecycleService().terminate();
    waitFor(() -> !ClusterMember.hasMajority(first), "the majority lost");
    String later = "t1/" + UUID.randomUUID();
    assertThat(await(cache.get(later))).contains("loaded 4");
    assertThat(await(cache.get(later))).contains("loaded 5");
  }

  private double bypasses() {
    return meters
        .get("plinth.cache.gets")
        .tag("cache", ClusterMaps.TENANTS)
        .tag("result", "bypass")
        .counter()
        .count();
  }

  private static JsonObject readiness(HazelcastInstance member) throws Exception {
    return await(ClusterMember.readinessCheck(member).check());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    try {
      Eventually.poll(Duration.ofSeconds(30), condition::getAsBoolean, met -> met);
    } catch (AssertionError notMet) {
      throw new AssertionError(what + ": " + notMet.getMessage(), notMet);
    }
  }
}
