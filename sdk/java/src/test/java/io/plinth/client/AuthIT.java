package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End users of a tenant sign in with the publishable key at the tenant's real Keycloak realm (as
 * {@code GET /v1/identity} names it), and their tokens drive the data calls: an {@code owner}
 * collection shows each user their own records only.
 */
class AuthIT {

  private static Platform platform;
  private static Platform.TenantKeys tenant;
  private static Platform.EndUser alice;
  private static Platform.EndUser bob;

  @BeforeAll
  static void start() {
    platform = Platform.withKeycloak();
    tenant = platform.newTenant();
    alice = platform.newUser(tenant, "alice");
    bob = platform.newUser(tenant, "bob");
    PlinthClient.builder(platform.dataPlaneUrl())
        .apiKey(tenant.secretKey())
        .build()
        .createCollection(
            CollectionDefinition.named("notes")
                .field(CollectionDefinition.Field.of("title", "text").asRequired())
                .rules("owner", "owner"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** An app's client: the publishable key, nobody signed in yet. */
  private static PlinthClient app() {
    return PlinthClient.builder(platform.dataPlaneUrl())
        .apiKey(tenant.publishableKey())
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  private static List<String> titles(PlinthClient client) {
    return client.records("notes").query().stream()
        .map(note -> note.path("title").asText())
        .toList();
  }

  @Test
  void aliceWritesAndReadsHerOwnNotesAndBobSeesNone() {
    PlinthClient aliceApp = app();
    Session session = aliceApp.auth().signInWithPassword(alice.username(), alice.password());
    assertThat(session.user().username()).isEqualTo("alice");
    assertThat(session.user().id()).isNotBlank();
    assertThat(session.expiresAt()).isAfter(Instant.now());
    assertThat(session.toString())
        .doesNotContain(session.accessToken())
        .doesNotContain(session.refreshToken());
    assertThat(aliceApp.auth().session()).contains(session);

    Record note = aliceApp.records("notes").insert(Map.of("title", "alice's"));
    assertThat(note.get("owner").asText()).isEqualTo(session.user().id());
    assertThat(aliceApp.records("notes").get(note.id()).get("title").asText()).isEqualTo("alice's");
    assertThat(titles(aliceApp)).contains("alice's");

    PlinthClient bobApp = app();
    bobApp.auth().signInWithPassword(bob.username(), bob.password());
    assertThat(titles(bobApp)).isEmpty();
    assertThatThrownBy(() -> bobApp.records("notes").get(note.id()))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void thePublishableKeyWithoutAUserIsRefusedByTheRule() {
    assertThatThrownBy(() -> app().records("notes").query().page())
        .isInstanceOfSatisfying(
            PlinthException.class,
            e -> {
              assertThat(e.status()).isIn(401, 403);
              assertThat(e.code()).isEqualTo("user_token_required");
              assertThat(e.requestId()).isNotBlank();
            });
  }

  @Test
  void aWrongPasswordIsInvalidCredentialsAndTheMessageNeverHoldsIt() {
    String wrong = "not-" + alice.password();
    assertThatThrownBy(() -> app().auth().signInWithPassword(alice.username(), wrong))
        .isInstanceOfSatisfying(
            PlinthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("invalid_credentials");
              assertThat(e.getMessage()).doesNotContain(wrong);
              assertThat(e.toString()).doesNotContain(wrong);
            });
  }

  @Test
  void refreshGivesANewWorkingTokenAndAfterSignOutTheRefreshTokenFails() {
    PlinthClient aliceApp = app();
    List<Optional<Session>> changes = new CopyOnWriteArrayList<>();
    aliceApp.auth().onChange(changes::add);
    Session first = aliceApp.auth().signInWithPassword(alice.username(), alice.password());

    Session refreshed = aliceApp.auth().refresh();
    assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(refreshed.user().id()).isEqualTo(first.user().id());
    aliceApp.records("notes").insert(Map.of("title", "after refresh"));
    assertThat(titles(aliceApp)).contains("after refresh");

    // A token about to expire (here: any, with a margin longer than its life) is refreshed
    // before the call that would send it.
    aliceApp.auth().refreshMargin(Duration.ofDays(1));
    int before = changes.size();
    assertThat(titles(aliceApp)).contains("after refresh");
    assertThat(changes.size()).isGreaterThan(before);
    Session lazilyRefreshed = aliceApp.auth().session().orElseThrow();
    assertThat(lazilyRefreshed.accessToken()).isNotEqualTo(refreshed.accessToken());
    aliceApp.auth().refreshMargin(Auth.DEFAULT_REFRESH_MARGIN);

    aliceApp.auth().signOut();
    assertThat(aliceApp.auth().session()).isEmpty();
    assertThat(changes.get(changes.size() - 1)).isEmpty();
    assertThatThrownBy(() -> titles(aliceApp))
        .as("signed out, the client sends no token")
        .isInstanceOfSatisfying(
            PlinthException.class, e -> assertThat(e.code()).isEqualTo("user_token_required"));

    aliceApp.auth().useSession(lazilyRefreshed); // as if kept from before the sign-out
    assertThatThrownBy(() -> aliceApp.auth().refresh())
        .isInstanceOfSatisfying(
            PlinthException.class,
            e -> {
              assertThat(e.code()).isEqualTo("session_expired");
              assertThat(e.getMessage()).doesNotContain(lazilyRefreshed.refreshToken());
            });
    assertThat(aliceApp.auth().session()).as("an expired session is forgotten").isEmpty();
  }

  @Test
  void aBrowserSignInWithCodeAndPkceGivesAWorkingSession() throws Exception {
    String redirectUri = "http://127.0.0.1:9/signed-in"; // never opened: its URL has the code
    Platform.TenantKeys browserTenant =
        platform.newTenant(
            "enterprise",
            new io.vertx.core.json.JsonObject()
                .put("mode", "realm")
                .put("redirectUris", new io.vertx.core.json.JsonArray().add(redirectUri)));
    Platform.EndUser carol = platform.newUser(browserTenant, "carol");
    PlinthClient browserApp =
        PlinthClient.builder(platform.dataPlaneUrl())
            .apiKey(browserTenant.publishableKey())
            .timeout(Duration.ofSeconds(20))
            .build();
    AuthorizationRequest request = browserApp.auth().authorizationUrl(redirectUri);

    URI redirect = KeycloakLoginForm.signIn(request.url(), carol.username(), carol.password());
    Map<String, String> answer = KeycloakLoginForm.query(redirect);
    assertThat(redirect.toString()).startsWith(redirectUri + "?");
    assertThat(answer).containsEntry("state", request.state());

    Session session =
        browserApp.auth().exchangeCode(answer.get("code"), redirectUri, request.codeVerifier());
    assertThat(session.user().username()).isEqualTo("carol");
    assertThat(browserApp.auth().session()).contains(session);
    PlinthClient.builder(platform.dataPlaneUrl())
        .apiKey(browserTenant.secretKey())
        .build()
        .createCollection(
            CollectionDefinition.named("notes").field("title", "text").rules("owner", "owner"));
    browserApp.records("notes").insert(Map.of("title", "carol's"));
    assertThat(titles(browserApp)).as("data calls with carol's token").containsExactly("carol's");

    // A code is good once, and only with its verifier.
    assertThatThrownBy(
            () ->
                browserApp
                    .auth()
                    .exchangeCode(answer.get("code"), redirectUri, request.codeVerifier()))
        .isInstanceOfSatisfying(
            PlinthException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_code");
              assertThat(e.getMessage()).doesNotContain(answer.get("code"));
            });
  }

  @Test
  void theSignInConfigNamesTheTenantsRealm() {
    SignInConfig sign = app().auth().signInConfig();
    assertThat(sign.mode()).isEqualTo("realm");
    assertThat(sign.clientId()).isEqualTo("app");
    assertThat(sign.issuer()).endsWith("/realms/" + tenant.realm());
    assertThat(sign.tokenEndpoint()).startsWith(sign.issuer());
  }
}
