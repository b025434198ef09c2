package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestKeycloak;
import io.plinth.testing.TestRealms;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Identity end to end with nothing made by hand: the control plane provisions each tenant's realm
 * in a real Keycloak, a user added to that realm signs in, and the data plane takes the token for
 * that tenant alone, with the {@code owner} rule on its subject. Deleting the tenant removes the
 * realm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisionedRealmIT {

  private static final String NOTES = "/v1/collections/notes/records";

  private final TestKeycloak.Server keycloak = TestKeycloak.server();
  private final TestRealms realms = new TestRealms(keycloak);
  private final HttpClient http = HttpClient.newHttpClient();
  private DataPlane plane;

  @BeforeAll
  void start() {
    plane =
        new DataPlane(
            Map.of(),
            Map.of(),
            Map.of(
                "plinth.identity.keycloak.url", keycloak.url(),
                "plinth.identity.keycloak.admin-user", keycloak.adminUser(),
                "plinth.identity.keycloak.admin-password", keycloak.adminPassword()));
  }

  @AfterAll
  void stop() {
    plane.close();
  }

  /** A tenant made through the admin API in the default identity mode, once it is active. */
  private DataPlane.Tenant provision() {
    String slug = "r-" + UUID.randomUUID().toString().substring(0, 8);
    Response created =
        plane.admin.postJson(
            "/admin/v1/tenants",
            new JsonObject().put("slug", slug).put("name", slug).put("plan", "enterprise"));
    assertThat(created.status()).as(created.body()).isIn(201, 202);
    String publishable = null;
    String secret = null;
    for (Object k : created.json().getJsonArray("keys")) {
      JsonObject key = (JsonObject) k;
      if ("publishable".equals(key.getString("kind"))) {
        publishable = key.getString("key");
      } else {
        secret = key.getString("key");
      }
    }
    Eventually.poll(
        Duration.ofSeconds(60),
        () -> plane.admin.get("/admin/v1/tenants/" + slug).json().getString("status"),
        "active"::equals);
    return new DataPlane.Tenant(
        UUID.fromString(created.json().getString("id")),
        slug,
        created.json().getString("schema"),
        publishable,
        secret);
  }

  private JsonObject identityOf(DataPlane.Tenant tenant) {
    return plane.admin.get("/admin/v1/tenants/" + tenant.slug()).json().getJsonObject("identity");
  }

  private int discovery(String issuer) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aUserOfTheTenantsOwnRealmSignsInAndSeesOnlyTheirRows() throws Exception {
    DataPlane.Tenant acme = provision();
    DataPlane.Tenant globex = provision();
    JsonObject identity = identityOf(acme);
    assertThat(identity.getString("mode")).isEqualTo("realm");
    String realm = identity.getString("realm");
    assertThat(realm).isEqualTo("plinth-" + acme.slug());
    assertThat(discovery(identity.getString("issuer"))).as("the realm exists").isEqualTo(200);

    realms.createUser(realm, "alice");
    realms.createUser(realm, "bob");
    realms.createUser(identityOf(globex).getString("realm"), "mallory");
    String alice = realms.signIn(realm, "alice");
    String bob = realms.signIn(realm, "bob");
    String mallory = realms.signIn(identityOf(globex).getString("realm"), "mallory");
    assertThat(TestRealms.claims(alice).getString("iss")).isEqualTo(identity.getString("issuer"));

    Response collection =
        plane
            .as(acme.secretKey())
            .postJson(
                "/v1/collections",
                DataPlane.collection("notes", "text:text")
                    .put("rules", new JsonObject().put("read", "owner").put("write", "owner")));
    assertThat(collection.status()).as(collection.body()).isEqualTo(201);
    PlinthClient app = plane.as(acme.publishableKey());

    Response note = app.withBearer(alice).postJson(NOTES, new JsonObject().put("text", "mine"));
    assertThat(note.status()).as(note.body()).isEqualTo(201);
    assertThat(note.json().getString("owner")).isEqualTo(TestRealms.claims(alice).getString("sub"));
    assertThat(app.withBearer(alice).get(NOTES).json().getJsonArray("items")).hasSize(1);
    assertThat(app.withBearer(bob).get(NOTES).json().getJsonArray("items")).isEmpty();

    Response foreign = app.withBearer(mallory).get(NOTES);
    assertThat(foreign.status()).as("another tenant's user").isEqualTo(401);
    assertThat(foreign.json().getString("code")).isEqualTo("invalid_user_token");

    assertThat(plane.admin.delete("/admin/v1/tenants/" + acme.slug()).status()).isIn(200, 202);
    // A deleted tenant is gone from the admin API once its deletion is done.
    Eventually.poll(
        Duration.ofSeconds(60),
        () -> plane.admin.get("/admin/v1/tenants/" + acme.slug()).status(),
        status -> status == 404);
    assertThat(discovery(identity.getString("issuer"))).as("the realm is gone").isEqualTo(404);
  }

  /**
   * What an SDK learns from {@code GET /v1/identity} with the publishable key is enough to sign a
   * user in: a password grant at the answer's token endpoint with its client id gives a token the
   * data plane takes. A tenant without end-user sign-in says so.
   */
  @Test
  void theIdentityAnswerSignsAUserInAtItsTokenEndpoint() throws Exception {
    DataPlane.Tenant acme = provision();
    String realm = identityOf(acme).getString("realm");
    realms.createUser(realm, "carol");
    PlinthClient app = plane.as(acme.publishableKey());

    Response answer = app.get("/v1/identity");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.header("Cache-Control")).hasValue("private, max-age=60");
    JsonObject signIn = answer.json();
    String issuer = identityOf(acme).getString("issuer");
    assertThat(signIn.getString("mode")).isEqualTo("realm");
    assertThat(signIn.getString("issuer")).isEqualTo(issuer);
    assertThat(signIn.getString("clientId")).isEqualTo(TestRealms.CLIENT);
    assertThat(signIn.getString("endSessionEndpoint"))
        .isEqualTo(issuer + "/protocol/openid-connect/logout");
    assertThat(discovery(issuer)).isEqualTo(200);
    assertThat(signIn.getString("discoveryUrl"))
        .isEqualTo(issuer + "/.well-known/openid-configuration");

    HttpResponse<String> grant =
        http.send(
            HttpRequest.newBuilder(URI.create(signIn.getString("tokenEndpoint")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&scope=openid&client_id="
                            + signIn.getString("clientId")
                            + "&username=carol&password="
                            + java.net.URLEncoder.encode(
                                TestRealms.passwordOf("carol"),
                                java.nio.charset.StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(grant.statusCode()).as("the password grant").isEqualTo(200);
    String token = new JsonObject(grant.body()).getString("access_token");
    Response collections = app.withBearer(token).get("/v1/collections");
    assertThat(collections.status()).as(collections.body()).isEqualTo(200);

    DataPlane.Tenant none = provision();
    plane.signInWith(none, null); // as a tenant made where no Keycloak is configured
    Response missing = plane.as(none.publishableKey()).get("/v1/identity");
    assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    assertThat(missing.json().getString("code")).isEqualTo("sign_in_not_configured");
  }
}
