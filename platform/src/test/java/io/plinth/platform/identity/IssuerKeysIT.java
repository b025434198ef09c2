package io.plinth.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.plinth.testing.Eventually;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issuers' keys on two nodes (each its own {@link IssuerKeys} on its own Hazelcast member) against
 * a test issuer that counts the key sets it serves, can be taken down and rotates its key. The
 * nodes' clock can be moved forward, for the refresh interval and the maximum age.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuerKeysIT {

  private final TestTokens issuer = TestTokens.served();
  private final MovableClock clock = new MovableClock();
  private Vertx vertx;
  private HazelcastInstance memberOne;
  private HazelcastInstance memberTwo;
  private Node one;
  private Node two;

  /** One node's keys and its meters. */
  private record Node(IssuerKeys keys, SimpleMeterRegistry meters) {
    double fetches(String result) {
      return meters.counter("plinth.identity.key.fetches", "result", result).count();
    }
  }

  @BeforeAll
  void start() {
    TestCluster cluster = TestCluster.create();
    memberOne = cluster.startMember("test");
    memberTwo = cluster.startMember("test");
    vertx = Vertx.vertx();
    one = node(memberOne);
    two = node(memberTwo);
  }

  private Node node(HazelcastInstance member) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    return new Node(
        new IssuerKeys(
            member,
            vertx,
            new JwksFetcher(vertx, Duration.ofSeconds(2), JwksFetcher.DEFAULT_MAX_BODY_BYTES),
            clock,
            IssuerKeys.Options.DEFAULTS,
            meters),
        meters);
  }

  @AfterAll
  void stop() throws Exception {
    memberOne.shutdown();
    memberTwo.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    issuer.close();
  }

  /** An issuer no test has asked for yet. */
  private String newIssuer() {
    return issuer.issuer("k-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private static Optional<PublicKey> find(Node node, String iss, String kid) {
    try {
      return node.keys().find(iss, kid).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aKnownKeyIsServedFromMemoryAndAnotherNodeTakesTheClustersCopy() {
    String iss = newIssuer();
    int before = issuer.keySetRequests();
    assertThat(find(one, iss, issuer.keyId())).contains(issuer.verifierKey());
    for (int i = 0; i < 100; i++) {
      assertThat(find(one, iss, issuer.keyId())).isPresent();
    }
    assertThat(find(two, iss, issuer.keyId())).contains(issuer.verifierKey());
    assertThat(issuer.keySetRequests() - before).isEqualTo(1);
  }

  @Test
  void concurrentMissesOnTwoNodesShareOneFetch() throws Exception {
    String iss = newIssuer();
    int before = issuer.keySetRequests();
    List<Future<Optional<PublicKey>>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(one.keys().find(iss, issuer.keyId()));
      all.add(two.keys().find(iss, issuer.keyId()));
    }
    for (Future<Optional<PublicKey>> found : all) {
      assertThat(found.await(10, TimeUnit.SECONDS)).contains(issuer.verifierKey());
    }
    assertThat(issuer.keySetRequests() - before).isEqualTo(1);
  }

  @Test
  void anUnknownKeyIdRefreshesAtMostOncePerIntervalAcrossTheCluster() {
    String iss = newIssuer();
    String oldKey = issuer.keyId();
    assertThat(find(one, iss, oldKey)).isPresent();
    assertThat(find(two, iss, oldKey)).isPresent();
    int before = issuer.keySetRequests();

    // The issuer rotates: the first token with the new key id refreshes, and the old key, no
    // longer published, stops verifying on that node.
    issuer.rotate();
    clock.forward(Duration.ofSeconds(10));
    assertThat(find(one, iss, issuer.keyId())).contains(issuer.verifierKey());
    assertThat(find(one, iss, oldKey)).isEmpty();
    assertThat(issuer.keySetRequests() - before).isEqualTo(1);
    // The other node takes the new set from the cluster, without fetching.
    assertThat(find(two, iss, issuer.keyId())).contains(issuer.verifierKey());

    // Made-up key ids within the interval cost no fetch, on either node.
    for (int i = 0; i < 10; i++) {
      assertThat(find(one, iss, "made-up-" + i)).isEmpty();
      assertThat(find(two, iss, "made-up-" + i)).isEmpty();
    }
    assertThat(issuer.keySetRequests() - before).isEqualTo(1);

    // Once the interval has passed, one more.
    clock.forward(Duration.ofSeconds(10));
    assertThat(find(two, iss, "made-up-again")).isEmpty();
    assertThat(find(one, iss, "made-up-again")).isEmpty();
    assertThat(issuer.keySetRequests() - before).isEqualTo(2);
  }

  @Test
  void anOutageKeepsKnownKeysHoweverOldAndRefusesOnlyKeysNobodyFetched() {
    String known = newIssuer();
    String unseen = newIssuer();
    assertThat(find(one, known, issuer.keyId())).isPresent();
    double failuresBefore = one.fetches("failed");
    issuer.down(true);
    try {
      // Past the maximum age a use starts a background refresh, which fails: the keys stay.
      clock.forward(IssuerKeys.Options.DEFAULTS.maxAge().plusSeconds(1));
      assertThat(find(one, known, issuer.keyId())).contains(issuer.verifierKey());
      Eventually.poll(
          Duration.ofSeconds(10), () -> one.fetches("failed"), failed -> failed > failuresBefore);
      assertThat(find(one, known, issuer.keyId())).contains(issuer.verifierKey());
      assertThat(find(two, known, issuer.keyId())).contains(issuer.verifierKey());

      // An issuer whose keys nobody fetched: refused, not an error.
      assertThat(find(two, unseen, issuer.keyId())).isEmpty();
    } finally {
      issuer.down(false);
    }
    // Back, but within the interval of the failed attempt: still refused, and no fetch.
    int before = issuer.keySetRequests();
    assertThat(find(two, unseen, issuer.keyId())).isEmpty();
    assertThat(issuer.keySetRequests()).isEqualTo(before);
    clock.forward(Duration.ofSeconds(10));
    assertThat(find(one, unseen, issuer.keyId())).contains(issuer.verifierKey());
  }

  /** The system clock, moved forward by the test. */
  private static final class MovableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    void forward(Duration by) {
      offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
      return System.currentTimeMillis() + offsetMillis.get();
    }
  }
}
