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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cache against a real Hazelcast member, with loads the test completes by hand, so that a load
 * racing an invalidation can be staged exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCacheIT {

  private HazelcastInstance member;
  private Vertx vertx;

  /** Loads started and not completed yet, oldest first (the loader runs on an event loop). */
  private final BlockingDeque<Promise<Optional<String>>> loads = new LinkedBlockingDeque<>();

  private final AtomicInteger loadsStarted = new AtomicInteger();

  /** How the loads of the cache made last end, and its meters. */
  private LoadOutcomes outcomes;

  private SimpleMeterRegistry meters;

  @BeforeAll
  void start() {
    member = TestMember.start(5900);
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() throws Exception {
    member.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ClusterCache<String> cache() {
    Function<String, Future<Optional<String>>> loader =
        key -> {
          loadsStarted.incrementAndGet();
          Promise<Optional<String>> load = Promise.promise();
          loads.add(load);
          return load.future();
        };
    meters = new SimpleMeterRegistry();
    ClusterCache<String> cache =
        new ClusterCache<>(
            member,
            ClusterMaps.COLLECTIONS,
            vertx,
            loader,
            Function.identity(),
            Function.identity(),
            Duration.ofSeconds(10),
            meters);
    outcomes = LoadOutcomes.of(cache);
    return cache;
  }

  /** A cache whose loads complete at once with a value made from the key, under a budget. */
  private ClusterCache<String> budgetedCache(FillBudget budget, SimpleMeterRegistry meters) {
    ClusterCache<String> cache =
        new ClusterCache<>(
            member,
            ClusterMaps.RECORDS,
            vertx,
            key -> Future.succeededFuture(Optional.of("value of " + key)),
            Function.identity(),
            Function.identity(),
            Duration.ZERO,
            budget,
            meters);
    outcomes = LoadOutcomes.of(cache);
    return cache;
  }

  private long entriesOf(String tenant) {
    return member.<String, String>getMap(ClusterMaps.RECORDS).keySet().stream()
        .filter(k -> k.startsWith(tenant + "/"))
        .count();
  }

  @Test
  void aTenantPastItsBudgetIsServedButNotStoredAndOthersKeepTheirEntries() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ClusterCache<String> cache =
        budgetedCache(FillBudget.perTenant(5, Duration.ofSeconds(60)), meters);
    String quiet = "quiet-" + UUID.randomUUID();
    String greedy = "greedy-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      assertThat(await(cache.get(quiet + "/" + i))).contains("value of " + quiet + "/" + i);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(await(cache.get(greedy + "/" + i))).contains("value of " + greedy + "/" + i);
    }
    assertThat(outcomes.next(53))
        .as("stored: 3 of the quiet tenant, 5 of the greedy one")
        .filteredOn(o -> o == LoadOutcome.STORED)
        .hasSize(8);
    assertThat(entriesOf(greedy)).as("the greedy tenant's entries").isEqualTo(5);
    assertThat(entriesOf(quiet)).as("the quiet tenant's entries").isEqualTo(3);
    assertThat(meters.get("plinth.cache.over.budget").counter().count()).isEqualTo(45);
    // The quiet tenant still fills, and its entries are hits.
    assertThat(await(cache.get(quiet + "/3"))).isPresent();
    assertThat(outcomes.next()).isEqualTo(LoadOutcome.STORED);
    double hitsBefore = meters.get("plinth.cache.gets").tag("result", "hit").counter().count();
    for (int i = 0; i < 4; i++) {
      await(cache.get(quiet + "/" + i));
    }
    assertThat(meters.get("plinth.cache.gets").tag("result", "hit").counter().count())
        .isEqualTo(hitsBefore + 4);
  }

  @Test
  void readsFromTheOwnerStartNoThreadsAndAnswerOnTheCallersContext() throws Exception {
    // Hazelcast runs a callback added without an executor on a new thread per call when the
    // common pool has a parallelism of 1 (2 cores): 200 gets must not start ~200 threads. (With
    // more cores the common pool serves them, and this passes either way.)
    ClusterCache<String> cache = budgetedCache(FillBudget.UNLIMITED, new SimpleMeterRegistry());
    String key = "t_a/" + UUID.randomUUID();
    await(cache.get(key));
    assertThat(outcomes.next()).isEqualTo(LoadOutcome.STORED);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long startedBefore = threads.getTotalStartedThreadCount();
    io.vertx.core.Context context = vertx.getOrCreateContext();
    Promise<Integer> onContext = Promise.promise();
    context.runOnContext(
        ignored -> {
          Future<Integer> all = Future.succeededFuture(0);
          for (int i = 0; i < 200; i++) {
            all =
                all.compose(
                    n ->
                        cache.get(key).map(value -> Vertx.currentContext() == context ? n + 1 : n));
          }
          all.onComplete(onContext);
        });
    assertThat(await(onContext.future())).as("answers on the caller's context").isEqualTo(200);
    assertThat(threads.getTotalStartedThreadCount() - startedBefore)
        .as("threads started by 200 reads")
        .isLessThan(20);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** The next load the cache starts, waiting for it: gets run asynchronously. */
  private Promise<Optional<String>> nextLoad() throws InterruptedException {
    Promise<Optional<String>> load = loads.poll(5, TimeUnit.SECONDS);
    assertThat(load).as("a load from the database").isNotNull();
    return load;
  }

  @Test
  void aValueIsLoadedOnceAndServedFromTheClusterAfter() throws Exception {
    ClusterCache<String> cache = cache();
    String key = "t_a/" + UUID.randomUUID();
    int before = loadsStarted.get();
    Future<Optional<String>> first = cache.get(key);
    Future<Optional<String>> second = cache.get(key); // shares the running load
    Promise<Optional<String>> load = nextLoad();
    // Both gets have missed (they run on other threads) before the load ends.
    Eventually.poll(
        Duration.ofSeconds(5),
        () -> meters.get("plinth.cache.gets").tag("result", "miss").counter().count(),
        missed -> missed == 2);
    load.complete(Optional.of("v1"));
    assertThat(await(first)).contains("v1");
    assertThat(await(second)).contains("v1");
    assertThat(outcomes.next()).isEqualTo(LoadOutcome.STORED);
    assertThat(await(cache.get(key))).contains("v1");
    assertThat(loadsStarted.get() - before).isEqualTo(1);
  }

  @Test
  void anAbsentValueIsRememberedToo() throws Exception {
    ClusterCache<String> cache = cache();
    String key = "t_a/" + UUID.randomUUID();
    int before = loadsStarted.get();
    Future<Optional<String>> first = cache.get(key);
    nextLoad().complete(Optional.empty());
    assertThat(await(first)).isEmpty();
    assertThat(outcomes.next()).as("the absence is stored").isEqualTo(LoadOutcome.STORED);
    assertThat(await(cache.get(key))).isEmpty();
    assertThat(loadsStarted.get() - before).isEqualTo(1);
  }

  @Test
  void aLoadThatStartedBeforeAnInvalidationDoesNotPutItsOldValueBack() throws Exception {
    ClusterCache<String> cache = cache();
    String key = "t_a/" + UUID.randomUUID();
    Future<Optional<String>> racing = cache.get(key); // reads the database before the change
    await(cache.invalidate(key)); // the change commits and invalidates
    nextLoad().complete(Optional.of("old"));
    assertThat(await(racing)).contains("old"); // its own caller may see it...
    assertThat(outcomes.next()).as("the old value").isNotEqualTo(LoadOutcome.STORED);
    Future<Optional<String>> next = cache.get(key); // ...but nobody after the invalidation does
    nextLoad().complete(Optional.of("new"));
    assertThat(await(next)).contains("new");
  }

  @Test
  void aReadThatStartsAfterAnInvalidationDoesNotTakeALoadThatStartedBefore() throws Exception {
    ClusterCache<String> cache = cache();
    String key = "t_a/" + UUID.randomUUID();
    Future<Optional<String>> racing = cache.get(key);
    Promise<Optional<String>> before = nextLoad(); // reading the database before the change
    await(cache.invalidate(key)); // the change commits, invalidates and is acknowledged
    Future<Optional<String>> after = cache.get(key); // a read that starts after the acknowledgement
    Promise<Optional<String>> own = nextLoad(); // reads the database itself
    before.complete(Optional.of("old"));
    own.complete(Optional.of("new"));
    assertThat(await(racing)).contains("old");
    assertThat(await(after)).contains("new");
  }

  @Test
  void twoInvalidationsInARowAreNotConfusedWithEachOther() throws Exception {
    ClusterCache<String> cache = cache();
    String key = "t_a/" + UUID.randomUUID();
    await(cache.invalidate(key));
    Future<Optional<String>> racing = cache.get(key); // sees the first tombstone
    await(cache.invalidate(key)); // a second change
    nextLoad().complete(Optional.of("between"));
    await(racing);
    assertThat(outcomes.next()).as("the value loaded in between").isNotEqualTo(LoadOutcome.STORED);
    Future<Optional<String>> next = cache.get(key); // the value loaded in between was not kept
    nextLoad().complete(Optional.of("latest"));
    assertThat(await(next)).contains("latest");
  }
}
