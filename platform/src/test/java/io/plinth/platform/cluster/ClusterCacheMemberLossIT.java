package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.plinth.platform.cluster.ClusterCache.LoadOutcome;
import io.plinth.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cache across the death of the member that owns an entry, staged exactly with a load the test
 * completes by hand: two members, one killed ({@code terminate()}) between an invalidation and the
 * fill of a load that raced it. The records map keeps no backup, so the entry's tombstone dies with
 * its owner; the metadata maps keep one.
 */
class ClusterCacheMemberLossIT {

  private final BlockingDeque<Promise<Optional<String>>> loads = new LinkedBlockingDeque<>();

  @ParameterizedTest
  @ValueSource(strings = {ClusterMaps.RECORDS, ClusterMaps.COLLECTIONS})
  void aLoadThatRacedAnInvalidationOnAMemberThatDiedDoesNotPutItsOldValueBack(String mapName)
      throws Exception {
    String cluster = "test-" + UUID.randomUUID();
    int port = 6000 + (int) (Math.random() * 90);
    List<String> members = List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1));
    HazelcastInstance survivor = TestMember.start(cluster, port, members);
    HazelcastInstance dying = TestMember.start(cluster, port + 1, members);
    Vertx vertx = Vertx.vertx();
    try {
      ClusterCache<String> cache =
          new ClusterCache<>(
              survivor,
              mapName,
              vertx,
              key -> {
                Promise<Optional<String>> load = Promise.promise();
                loads.add(load);
                return load.future();
              },
              Function.identity(),
              Function.identity(),
              Duration.ZERO,
              new SimpleMeterRegistry());
      LoadOutcomes outcomes = LoadOutcomes.of(cache);
      survivor.getMap(mapName).size(); // the partitions get their owners
      String key;
      do {
        key = "t_a/" + UUID.randomUUID();
      } while (!owns(dying, key, survivor));

      Future<Optional<String>> racing = cache.get(key); // reads the database before the change
      Promise<Optional<String>> load = nextLoad();
      await(cache.invalidate(key)); // the change commits and invalidates, on the dying member
      dying.getLifecycleService().terminate();
      String dyingOnesKey = key;
      Eventually.poll(
          Duration.ofSeconds(30), () -> owns(survivor, dyingOnesKey, survivor), owned -> owned);
      load.complete(Optional.of("old")); // its fill reaches the entry's new owner
      assertThat(await(racing)).contains("old");
      assertThat(outcomes.next())
          .as("the old value's fill, on the entry's new owner")
          .isEqualTo(LoadOutcome.REFUSED);

      Future<Optional<String>> next = cache.get(key); // nobody after the invalidation sees "old"
      Promise<Optional<String>> again = loads.poll(5, TimeUnit.SECONDS);
      assertThat(again).as("a new load from the database, not the old value").isNotNull();
      again.complete(Optional.of("new"));
      assertThat(await(next)).contains("new");
    } finally {
      survivor.getLifecycleService().terminate();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Whether {@code owner} owns {@code key}'s entry, as {@code seenBy} knows. */
  private static boolean owns(HazelcastInstance owner, String key, HazelcastInstance seenBy) {
    return Objects.equals(
        seenBy.getPartitionService().getPartition(key).getOwner(),
        owner.getCluster().getLocalMember());
  }

  private Promise<Optional<String>> nextLoad() throws InterruptedException {
    Promise<Optional<String>> load = loads.poll(5, TimeUnit.SECONDS);
    assertThat(load).as("a load from the database").isNotNull();
    return load;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
