package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.identity.TokenExpectation;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestKeycloak;
import io.plinth.testing.TestRealms;
import io.plinth.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End users of tenants with a real Keycloak realm each ({@code plinth-<slug>}, made here through
 * the admin API until the identity provisioning step makes them, and written into the tenant's
 * registry row): they sign in (direct grant), and the data plane verifies their tokens offline with
 * the realm's keys, which it fetched once; the {@code owner} and {@code authenticated} rules then
 * work on the token's subject. Tokens of another realm, for another audience, expired, unsigned or
 * altered are refused; while Keycloak is down, tokens whose keys are cached still work.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakTokensIT {

  private static final String AUDIENCE = "plinth-api";
  private static final String NOTES = "/v1/collections/notes/records";
  private static final String POSTS = "/v1/collections/posts/records";

  private final TestKeycloak.Server keycloak = TestKeycloak.server();
  private final TestRealms realms = new TestRealms(keycloak);
  private final List<String> realmsMade = new ArrayList<>();
  private DataPlane plane;
  private DataPlane.Tenant acme;
  private DataPlane.Tenant globex;

  /** A tenant whose realm's tokens live one second, and one of its tokens, taken at the start. */
  private DataPlane.Tenant brief;

  private String briefToken;

  /** A tenant whose keys nobody fetches before Keycloak goes away, and a token of it. */
  private DataPlane.Tenant unseen;

  private String unseenToken;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    acme = tenantWithRealm("internal", Duration.ofMinutes(5), "alice", "bob");
    globex = tenantWithRealm("enterprise", Duration.ofMinutes(5), "mallory");
    brief = tenantWithRealm("enterprise", Duration.ofSeconds(1), "quick");
    unseen = tenantWithRealm("enterprise", Duration.ofMinutes(10), "later");
    briefToken = realms.signIn(realmOf(brief), "quick");
    unseenToken = realms.signIn(realmOf(unseen), "later");
    PlinthClient secret = plane.as(acme.secretKey());
    for (JsonObject collection :
        List.of(
            DataPlane.collection("notes", "text:text")
                .put("rules", new JsonObject().put("read", "owner").put("write", "owner")),
            DataPlane.collection("posts", "text:text")
                .put(
                    "rules",
                    new JsonObject().put("read", "authenticated").put("write", "authenticated")))) {
      Response created = secret.postJson("/v1/collections", collection);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
  }

  @AfterAll
  void stop() {
    for (String realm : realmsMade) {
      try {
        realms.deleteRealm(realm);
      } catch (RuntimeException e) {
        // Keycloak is shared by the test JVM and goes with it.
      }
    }
  }

  private static String realmOf(DataPlane.Tenant tenant) {
    return "plinth-" + tenant.slug();
  }

  /** A tenant, its realm with these users, and the registry pointing at the realm. */
  private DataPlane.Tenant tenantWithRealm(String plan, Duration tokenLifespan, String... users) {
    DataPlane.Tenant tenant = plane.newTenant(plan);
    realms.createRealm(realmOf(tenant), AUDIENCE, tokenLifespan, List.of(users));
    realmsMade.add(realmOf(tenant));
    plane.signInWith(tenant, new TokenExpectation(realms.issuer(realmOf(tenant)), AUDIENCE));
    return tenant;
  }

  /** The tenant's app, with its publishable key, signed in with {@code token}. */
  private PlinthClient app(DataPlane.Tenant tenant, String token) {
    return plane.as(tenant.publishableKey()).withBearer(token);
  }

  private static void assertRefused(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(401);
    assertThat(response.json().getString("code")).isEqualTo("invalid_user_token");
  }

  @Test
  @Order(1)
  void signedInUsersSeeTheirOwnRowsAndTheSharedOnes() {
    String aliceToken = realms.signIn(realmOf(acme), "alice");
    String bobToken = realms.signIn(realmOf(acme), "bob");
    String aliceId = TestRealms.claims(aliceToken).getString("sub");
    PlinthClient alice = app(acme, aliceToken);
    PlinthClient bob = app(acme, bobToken);

    Response note = alice.postJson(NOTES, new JsonObject().put("text", "alice's"));
    assertThat(note.status()).as(note.body()).isEqualTo(201);
    assertThat(note.json().getString("owner")).isEqualTo(aliceId);
    String path = NOTES + "/" + note.json().getString("id");
    assertThat(alice.get(NOTES).json().getJsonArray("items")).hasSize(1);
    assertThat(alice.get(path).status()).isEqualTo(200);
    assertThat(bob.get(NOTES).json().getJsonArray("items")).isEmpty();
    assertThat(bob.get(path).json().getString("code")).isEqualTo("record_not_found");
    assertThat(bob.delete(path).status()).isEqualTo(404);

    Response post = bob.postJson(POSTS, new JsonObject().put("text", "hello"));
    assertThat(post.status()).as(post.body()).isEqualTo(201);
    assertThat(alice.get(POSTS).json().getJsonArray("items")).hasSize(1);
    Response anonymous = plane.as(acme.publishableKey()).get(POSTS);
    assertThat(anonymous.json().getString("code")).isEqualTo("user_token_required");
  }

  @Test
  @Order(2)
  void tokensOfAnotherRealmOrForAnotherAudienceAreRefused() {
    String malloryToken = realms.signIn(realmOf(globex), "mallory");
    assertThat(app(globex, malloryToken).get("/v1/collections").status()).isEqualTo(200);
    assertRefused(app(acme, malloryToken).get(NOTES));
    assertRefused(app(acme, malloryToken).get("/v1/collections"));

    // A tenant that trusts acme's realm, but expects another audience in its tokens.
    DataPlane.Tenant elsewhere = plane.newTenant();
    plane.signInWith(elsewhere, new TokenExpectation(realms.issuer(realmOf(acme)), "another-api"));
    String aliceToken = realms.signIn(realmOf(acme), "alice");
    assertRefused(app(elsewhere, aliceToken).get("/v1/collections"));
    assertThat(app(acme, aliceToken).get("/v1/collections").status()).isEqualTo(200);

    // A tenant without end-user sign-in refuses every token.
    DataPlane.Tenant noSignIn = plane.newTenant();
    plane.signInWith(noSignIn, null);
    assertRefused(app(noSignIn, aliceToken).get("/v1/collections"));
  }

  @Test
  @Order(2)
  void unsignedAndAlteredTokensAreRefused() {
    String token = realms.signIn(realmOf(acme), "alice");
    String[] parts = token.split("\\.");
    JsonObject header = json(parts[0]);
    JsonObject claims = json(parts[1]);
    assertThat(app(acme, token).get(NOTES).status()).isEqualTo(200);

    List<String> forged =
        List.of(
            // alg none, with and without the signature
            TestTokens.unsigned(header.copy().put("alg", "none"), claims),
            TestTokens.encode(header.copy().put("alg", "none")) + "." + parts[1] + "." + parts[2],
            // another subject under the real signature
            parts[0]
                + "."
                + TestTokens.encode(claims.copy().put("sub", "someone-else"))
                + "."
                + parts[2],
            // a longer life under the real signature
            parts[0]
                + "."
                + TestTokens.encode(claims.copy().put("exp", claims.getLong("exp") + 86_400))
                + "."
                + parts[2],
            // the signature altered
            parts[0] + "." + parts[1] + "." + flipFirst(parts[2]),
            // no signature
            parts[0] + "." + parts[1] + ".");
    for (String bad : forged) {
      Response response = app(acme, bad).get(NOTES);
      assertRefused(response);
      assertThat(response.body()).doesNotContain(bad);
    }
  }

  @Test
  @Order(5) // last: the outage test's time counts towards the wait
  void aTokenIsRefusedOnceItHasExpiredBeyondTheSkew() {
    // Taken at the start with a lifespan of one second; accepted until 30 s (the skew) after.
    long expiresAt = TestRealms.claims(briefToken).getLong("exp");
    Response response =
        Eventually.poll(
            Duration.ofSeconds(60),
            () -> app(brief, briefToken).get("/v1/collections"),
            r -> r.status() != 200);
    assertRefused(response);
    assertThat(java.time.Instant.now().getEpochSecond()).isGreaterThan(expiresAt + 29);
    // A fresh token of the same realm is fine.
    assertThat(app(brief, realms.signIn(realmOf(brief), "quick")).get("/v1/collections").status())
        .isEqualTo(200);
  }

  @Test
  @Order(3)
  void organizationsOfASharedRealmOnlyAcceptTheirOwnMembers() {
    String shared = "plinth-shared-" + acme.slug();
    realms.createRealm(
        shared,
        AUDIENCE,
        Duration.ofMinutes(5),
        List.of("ann", "ben"),
        new JsonObject().put("organizationsEnabled", true));
    realmsMade.add(shared);
    DataPlane.Tenant first = plane.newTenant();
    DataPlane.Tenant second = plane.newTenant();
    realms.createOrganization(shared, first.slug(), List.of("ann"));
    realms.createOrganization(shared, second.slug(), List.of("ben"));
    for (DataPlane.Tenant tenant : List.of(first, second)) {
      plane.signInWith(
          tenant, new TokenExpectation(realms.issuer(shared), AUDIENCE, tenant.slug()));
    }
    Map<String, String> withOrganization = Map.of("scope", "openid organization");
    String ann = realms.signIn(shared, "ann", withOrganization);
    String ben = realms.signIn(shared, "ben", withOrganization);
    assertThat(TestRealms.claims(ann).getValue("organization").toString()).contains(first.slug());

    assertThat(app(first, ann).get("/v1/collections").status()).isEqualTo(200);
    assertThat(app(second, ben).get("/v1/collections").status()).isEqualTo(200);
    // Same realm, same issuer, same audience: only the organization tells them apart.
    assertRefused(app(second, ann).get("/v1/collections"));
    assertRefused(app(first, ben).get("/v1/collections"));
    // Without the organization in the token, neither tenant takes it.
    assertRefused(app(first, realms.signIn(shared, "ann")).get("/v1/collections"));
  }

  @Test
  @Order(4)
  void whileKeycloakIsDownTokensWithCachedKeysStillWork() {
    String aliceToken = realms.signIn(realmOf(acme), "alice");
    assertThat(app(acme, aliceToken).get(NOTES).status()).isEqualTo(200);
    keycloak.outage().begin();
    try {
      assertThat(app(acme, aliceToken).get(NOTES).status()).isEqualTo(200);
      // A node started during the outage takes the keys the cluster holds.
      PlinthClient newNode =
          plane
              .anotherDataPlaneNode()
              .withHeader("apikey", acme.publishableKey())
              .withBearer(aliceToken);
      assertThat(newNode.get(NOTES).status()).isEqualTo(200);
      // Keys nobody fetched cannot be had now: refused (not an error), and again.
      assertRefused(app(unseen, unseenToken).get("/v1/collections"));
      assertRefused(app(unseen, unseenToken).get("/v1/collections"));
    } finally {
      keycloak.outage().end();
    }
    // Once Keycloak is back (and the refresh interval has passed), the same token works.
    Eventually.poll(
        Duration.ofSeconds(60),
        () -> app(unseen, unseenToken).get("/v1/collections").status(),
        status -> status == 200);
  }

  private static JsonObject json(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }

  private static String flipFirst(String signature) {
    char first = signature.charAt(0);
    return (first == 'A' ? 'B' : 'A') + signature.substring(1);
  }
}
