package io.plinth.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestKeycloak;
import io.plinth.testing.TestRealms;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Keys fetched from a real Keycloak realm verify that realm's real access tokens, through the
 * verifier the data plane uses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuerKeysKeycloakIT {

  private static final String AUDIENCE = "plinth-api";
  private final TestRealms realms = new TestRealms(TestKeycloak.server());
  private final String realm = "plinth-k" + UUID.randomUUID().toString().substring(0, 8);
  private HazelcastInstance member;
  private Vertx vertx;
  private SimpleMeterRegistry meters;
  private JwtVerifier verifier;

  @BeforeAll
  void start() {
    realms.createRealm(realm, AUDIENCE, Duration.ofMinutes(5), List.of("alice"));
    member = TestCluster.create().startMember("test");
    vertx = Vertx.vertx();
    meters = new SimpleMeterRegistry();
    verifier =
        new JwtVerifier(
            new IssuerKeys(member, vertx, meters), Clock.systemUTC(), JwtVerifier.DEFAULT_SKEW);
  }

  @AfterAll
  void stop() throws Exception {
    realms.deleteRealm(realm);
    member.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRealmsAccessTokenVerifiesWithTheKeysOfItsDiscoveryDocument() throws Exception {
    String token = realms.signIn(realm, "alice");
    TokenExpectation expected = new TokenExpectation(realms.issuer(realm), AUDIENCE);
    EndUser user = verifier.verify(expected, token).await(30, TimeUnit.SECONDS);
    assertThat(user.subject()).isEqualTo(TestRealms.claims(token).getString("sub"));
    assertThat(user.claims().getString("preferred_username")).isEqualTo("alice");
    // A second sign-in's token is verified from memory: one fetch in all.
    verifier.verify(expected, realms.signIn(realm, "alice")).await(30, TimeUnit.SECONDS);
    assertThat(meters.counter("plinth.identity.key.fetches", "result", "ok").count())
        .isEqualTo(1.0);
  }
}
