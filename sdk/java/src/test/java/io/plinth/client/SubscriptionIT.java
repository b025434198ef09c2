package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.TcpRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions against a real control plane and data-plane node; the connection is cut for real by
 * a {@link TcpRelay} between the SDK and the data plane, while records keep being written.
 */
class SubscriptionIT {

  private static final RetryPolicy QUICK_RECONNECT =
      new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(100), Duration.ofSeconds(1));

  private static Platform platform;
  private static Platform.TenantKeys tenant;
  private static PlinthClient client;

  private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() {
    platform = new Platform();
    tenant = platform.newTenant();
    client =
        PlinthClient.builder(platform.dataPlaneUrl())
            .apiKey(tenant.secretKey())
            .timeout(Duration.ofSeconds(20))
            .build();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static void collection(String name) {
    client.createCollection(
        CollectionDefinition.named(name).field("n", "integer").rules("secret", "secret"));
  }

  private static void awaitConnected(Subscription subscription) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!subscription.isConnected() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(subscription.isConnected()).as("connected within 20 s").isTrue();
  }

  private List<Change> take(int count) throws InterruptedException {
    List<Change> taken = new ArrayList<>();
    while (taken.size() < count) {
      Change change = changes.poll(30, TimeUnit.SECONDS);
      assertThat(change).as("change %d of %d within 30 s", taken.size() + 1, count).isNotNull();
      taken.add(change);
    }
    return taken;
  }

  @Test
  void insertsUpdatesAndDeletesArriveInOrder() throws Exception {
    collection("live");
    Records live = client.records("live");
    try (Subscription subscription =
        live.subscribe(changes::add, SubscribeOptions.defaults().onError(errors::add))) {
      awaitConnected(subscription);
      Record inserted = live.insert(Map.of("n", 1));
      live.update(inserted.id(), Map.of("n", 2));
      live.delete(inserted.id());

      List<Change> seen = take(3);
      assertThat(seen).extracting(Change::type).containsExactly("insert", "update", "delete");
      assertThat(seen).extracting(Change::recordId).containsOnly(inserted.id());
      assertThat(seen.get(0).record().path("n").asInt()).isEqualTo(1);
      assertThat(seen.get(1).record().path("n").asInt()).isEqualTo(2);
      assertThat(seen.get(1).version()).isGreaterThan(seen.get(0).version());
      assertThat(seen.get(2).record()).isNull();
      assertThat(subscription.lastEventId()).isEqualTo(seen.get(2).eventId());
    }
    assertThat(errors).isEmpty();
  }

  @Test
  void aCutConnectionResumesWithEveryRecordExactlyOnceInOrder() throws Exception {
    collection("cut");
    Records writer = client.records("cut");
    TcpRelay relay =
        TcpRelay.to(platform.dataPlaneUrl().getHost(), platform.dataPlaneUrl().getPort());
    PlinthClient throughRelay =
        PlinthClient.builder(java.net.URI.create("http://127.0.0.1:" + relay.port()))
            .apiKey(tenant.secretKey())
            .timeout(Duration.ofSeconds(5))
            .build();
    List<String> written = new ArrayList<>();
    try (relay;
        Subscription subscription =
            throughRelay
                .records("cut")
                .subscribe(
                    changes::add,
                    SubscribeOptions.defaults().onError(errors::add).reconnect(QUICK_RECONNECT))) {
      awaitConnected(subscription);
      for (int n = 0; n < 5; n++) {
        written.add(writer.insert(Map.of("n", n)).id());
      }
      List<Change> seen = new ArrayList<>(take(5));

      relay.cut(); // mid-stream: the open connection is closed, new ones are refused
      for (int n = 5; n < 15; n++) {
        written.add(writer.insert(Map.of("n", n)).id());
      }
      // The outage lasts until the subscription has noticed it and failed to connect again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (subscription.isConnected() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(subscription.isConnected()).as("the cut is noticed").isFalse();
      Thread.sleep(500); // a few refused reconnections, under QUICK_RECONNECT's backoff
      relay.restore();
      for (int n = 15; n < 20; n++) {
        written.add(writer.insert(Map.of("n", n)).id());
      }

      seen.addAll(take(15));
      assertThat(changes.poll(2, TimeUnit.SECONDS)).as("no change twice").isNull();
      assertThat(seen).extracting(Change::type).containsOnly("insert");
      assertThat(seen).extracting(Change::recordId).containsExactlyElementsOf(written);
      assertThat(seen)
          .extracting(change -> change.record().path("n").asInt())
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
    }
    assertThat(errors).isEmpty();
  }

  @Test
  void aResumeAfterAnEarlierEventReplaysWhatCameAfterIt() throws Exception {
    collection("resume");
    Records notes = client.records("resume");
    String firstEventId;
    try (Subscription first = notes.subscribe(changes::add)) {
      awaitConnected(first);
      notes.insert(Map.of("n", 1));
      firstEventId = take(1).get(0).eventId();
    }
    String second = notes.insert(Map.of("n", 2)).id();
    try (Subscription resumed =
        notes.subscribe(changes::add, SubscribeOptions.defaults().lastEventId(firstEventId))) {
      assertThat(take(1)).extracting(Change::recordId).containsExactly(second);
      assertThat(changes.poll(1, TimeUnit.SECONDS)).isNull();
      assertThat(resumed.lastEventId()).isNotEqualTo(firstEventId);
    }
  }

  @Test
  void anUnknownCollectionEndsTheSubscriptionWith404() throws Exception {
    Subscription subscription =
        client
            .records("nothing-here")
            .subscribe(changes::add, SubscribeOptions.defaults().onError(errors::add));
    Throwable error = errors.poll(20, TimeUnit.SECONDS);
    assertThat(error)
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(subscription.awaitClosed(Duration.ofSeconds(5))).isTrue();
  }
}
