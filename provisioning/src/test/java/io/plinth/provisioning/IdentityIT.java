package io.plinth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.provisioning.identity.IdentitySettings;
import io.plinth.provisioning.identity.KeycloakAdmin;
import io.plinth.provisioning.identity.RealmTemplates;
import io.plinth.provisioning.workflow.Step;
import io.plinth.provisioning.workflow.StepObserver;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestRealms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Identity against the real Keycloak of the test JVM: the platform realm and operators' tokens on
 * {@code /admin/v1}, and tenants in each identity mode, made, used by a signed-in user, removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityIT {

  private static final String USER_PASSWORD = "correct-horse-battery";

  private final KeycloakTestClient keycloak = new KeycloakTestClient();
  private final ControlPlane controlPlane = new ControlPlane();
  private PlinthClient admin;

  @BeforeAll
  void start() {
    admin = controlPlane.start(StepObserver.NONE, keycloak.settings());
  }

  @AfterAll
  void stop() {
    controlPlane.close();
  }

  private static String slug() {
    return "id-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonObject tenant(String slug, JsonObject identity) {
    JsonObject body =
        new JsonObject().put("slug", slug).put("name", "Shop " + slug).put("plan", "pro");
    return identity == null ? body : body.put("identity", identity);
  }

  private JsonObject created(PlinthClient client, String slug, JsonObject identity) {
    Response r = client.postJson("/admin/v1/tenants", tenant(slug, identity));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getString("status")).isEqualTo("active");
    return r.json();
  }

  private String automationToken() {
    return keycloak.clientCredentials(
        RealmTemplates.PLATFORM_REALM,
        RealmTemplates.AUTOMATION_CLIENT,
        KeycloakTestClient.AUTOMATION_SECRET);
  }

  private void deleted(String slug) {
    Response r = admin.delete("/admin/v1/tenants/" + slug);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    Eventually.poll(
        Duration.ofSeconds(30),
        () -> admin.get("/admin/v1/tenants/" + slug),
        g -> g.status() == 404);
  }

  private boolean realmExists(String realm) {
    return keycloak.admin(keycloak.masterAdmin(), "GET", "/" + realm, null).status() == 200;
  }

  @Test
  void aSecondNodeFindsThePlatformRealmMadeAndTakesOperatorTokens() {
    // The first node made the realm; this one gets a 409 and starts all the same.
    PlinthClient second =
        controlPlane.start(StepObserver.NONE, keycloak.settings()).withBearer(automationToken());

    Response listed = second.get("/admin/v1/tenants");
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(realmExists(RealmTemplates.PLATFORM_REALM)).isTrue();
  }

  @Test
  void theFirstOperatorIsAPlatformAdminWithNothingLeftToDoAtSignIn() {
    String realm = "/" + RealmTemplates.PLATFORM_REALM;
    KeycloakTestClient.Response found =
        keycloak.admin(
            keycloak.masterAdmin(),
            "GET",
            realm + "/users?exact=true&username=" + KeycloakTestClient.FIRST_OPERATOR,
            null);
    assertThat(found.jsonArray().size()).as(found.body()).isEqualTo(1);
    JsonObject user = found.jsonArray().getJsonObject(0);
    assertThat(user.getJsonArray("requiredActions", new JsonArray())).isEmpty();
    assertThat(user.getBoolean("enabled")).isTrue();
    KeycloakTestClient.Response roles =
        keycloak.admin(
            keycloak.masterAdmin(),
            "GET",
            realm + "/users/" + user.getString("id") + "/role-mappings/realm",
            null);
    assertThat(roles.jsonArray().stream().map(r -> ((JsonObject) r).getString("name")))
        .contains(RealmTemplates.PLATFORM_ADMIN_ROLE);
  }

  @Test
  void anAutomationTokenIsAnOperatorAndIsAuditedAsItsUser() {
    PlinthClient operator = new PlinthClient(admin.baseUrl()).withBearer(automationToken());
    String slug = slug();

    JsonObject tenant =
        created(
            operator,
            slug,
            new JsonObject()
                .put("mode", "external")
                .put("issuer", keycloak.issuer(RealmTemplates.PLATFORM_REALM))
                .put("audience", "api"));

    assertThat(tenant.getString("slug")).isEqualTo(slug);
    JsonArray events = admin.get("/admin/v1/audit?tenant=" + slug).json().getJsonArray("items");
    assertThat(events.getJsonObject(0).getString("actor"))
        .isEqualTo("user:service-account-" + RealmTemplates.AUTOMATION_CLIENT);
  }

  @Test
  void aValidTokenWithoutPlatformAdminIsForbiddenAndBadTokensAreUnauthorized() {
    // A robot of the platform realm with the admin audience but without the role.
    String master = keycloak.masterAdmin();
    String robot = "robot-" + UUID.randomUUID().toString().substring(0, 8);
    KeycloakTestClient.Response made =
        keycloak.admin(
            master,
            "POST",
            "/" + RealmTemplates.PLATFORM_REALM + "/clients",
            new JsonObject()
                .put("clientId", robot)
                .put("secret", "robot-secret-0123456789")
                .put("publicClient", false)
                .put("serviceAccountsEnabled", true)
                .put("standardFlowEnabled", false)
                .put(
                    "protocolMappers",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("name", "aud")
                                .put("protocol", "openid-connect")
                                .put("protocolMapper", "oidc-audience-mapper")
                                .put(
                                    "config",
                                    new JsonObject()
                                        .put(
                                            "included.custom.audience",
                                            RealmTemplates.ADMIN_AUDIENCE)
                                        .put("access.token.claim", "true")))));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    String noRole =
        keycloak.clientCredentials(RealmTemplates.PLATFORM_REALM, robot, "robot-secret-0123456789");
    assertThat(TestRealms.claims(noRole).getJsonArray("aud").getList())
        .contains(RealmTemplates.ADMIN_AUDIENCE);

    Response forbidden =
        new PlinthClient(admin.baseUrl()).withBearer(noRole).get("/admin/v1/tenants");
    assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
    assertThat(forbidden.isProblem()).isTrue();
    assertThat(forbidden.json().getString("code")).isEqualTo("forbidden");

    String good = automationToken();
    String tampered = tamper(good);
    Response refused =
        new PlinthClient(admin.baseUrl()).withBearer(tampered).get("/admin/v1/tenants");
    assertThat(refused.status()).as(refused.body()).isEqualTo(401);
    assertThat(refused.json().getString("code")).isEqualTo("unauthorized");

    // A genuine token of another realm: a tenant's server client.
    String slug = slug();
    created(admin, slug, null);
    String realm = RealmTemplates.tenantRealm(slug);
    String provisioner = keycloak.provisioner(realm);
    String serverId =
        keycloak
            .admin(provisioner, "GET", "/" + realm + "/clients?clientId=server", null)
            .jsonArray()
            .getJsonObject(0)
            .getString("id");
    String serverSecret =
        keycloak
            .admin(
                provisioner, "GET", "/" + realm + "/clients/" + serverId + "/client-secret", null)
            .json()
            .getString("value");
    String otherRealm = keycloak.clientCredentials(realm, "server", serverSecret);
    Response foreign =
        new PlinthClient(admin.baseUrl()).withBearer(otherRealm).get("/admin/v1/tenants");
    assertThat(foreign.status()).as(foreign.body()).isEqualTo(401);
    deleted(slug);
  }

  @Test
  void aRealmTenantGetsItsRealmAndItsUsersTokensCarryWhatIsRecorded() throws Exception {
    String slug = slug();
    JsonObject tenant =
        created(
            admin,
            slug,
            new JsonObject()
                .put("mode", "realm")
                .put("redirectUris", new JsonArray().add("https://shop.example.com/*")));

    String realm = RealmTemplates.tenantRealm(slug);
    JsonObject identity = tenant.getJsonObject("identity");
    assertThat(identity.getString("mode")).isEqualTo("realm");
    assertThat(identity.getString("issuer")).isEqualTo(keycloak.issuer(realm));
    assertThat(identity.getString("audience")).isEqualTo("plinth-" + slug);
    assertThat(identity.getString("realm")).isEqualTo(realm);
    assertThat(identity.getString("appClientId")).isEqualTo("app");
    assertThat(identity.getString("serverClientId")).isEqualTo("server");
    assertThat(identity.getString("loginUrl"))
        .isEqualTo(keycloak.issuer(realm) + "/protocol/openid-connect/auth");
    assertThat(admin.get("/admin/v1/tenants/" + slug).json().getJsonObject("identity"))
        .isEqualTo(identity);
    assertThat(tenant.encode().toLowerCase()).doesNotContain("secret\":\"");
    try (Connection db = controlPlane.database.connect()) {
      assertThat(
              RegistryQueries.strings(
                  db,
                  "SELECT identity_keycloak || ' ' || identity_issuer || ' ' || identity_audience"
                      + " FROM plinth.tenants WHERE slug = ?",
                  slug))
          .containsExactly("default " + keycloak.issuer(realm) + " plinth-" + slug);
    }

    // The realm, as Keycloak has it.
    String master = keycloak.masterAdmin();
    JsonObject settings = keycloak.admin(master, "GET", "/" + realm, null).json();
    assertThat(settings.getBoolean("bruteForceProtected")).isTrue();
    assertThat(settings.getString("passwordPolicy")).contains("length(10)");
    assertThat(settings.getInteger("accessTokenLifespan")).isEqualTo(300);
    assertThat(settings.getInteger("ssoSessionIdleTimeout")).isEqualTo(1800);
    String provisioner = keycloak.provisioner(realm);
    JsonObject app =
        keycloak
            .admin(provisioner, "GET", "/" + realm + "/clients?clientId=app", null)
            .jsonArray()
            .getJsonObject(0);
    assertThat(app.getBoolean("publicClient")).isTrue();
    assertThat(app.getBoolean("directAccessGrantsEnabled")).isTrue();
    assertThat(app.getJsonObject("attributes").getString("pkce.code.challenge.method"))
        .isEqualTo("S256");
    assertThat(app.getJsonArray("redirectUris").getList())
        .containsExactly("https://shop.example.com/*");
    JsonObject server =
        keycloak
            .admin(provisioner, "GET", "/" + realm + "/clients?clientId=server", null)
            .jsonArray()
            .getJsonObject(0);
    assertThat(server.getBoolean("publicClient")).isFalse();
    assertThat(server.getBoolean("serviceAccountsEnabled")).isTrue();

    // A user made with the realm's own account signs in on the app client.
    keycloak.createUser(provisioner, realm, "alice", USER_PASSWORD);
    assertThat(
            keycloak
                .token(
                    realm,
                    Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        "app",
                        "username",
                        "alice",
                        "password",
                        "too-short"))
                .status())
        .isEqualTo(401);
    String token = keycloak.password(realm, "app", "alice", USER_PASSWORD);
    JsonObject claims = TestRealms.claims(token);
    assertThat(claims.getString("iss")).isEqualTo(identity.getString("issuer"));
    assertThat(claims.getJsonArray("aud").getList()).contains(identity.getString("audience"));
    assertThat(claims.getString("typ")).isEqualTo("Bearer");

    deleted(slug);
    assertThat(realmExists(realm)).as("realm removed with the tenant").isFalse();
  }

  @Test
  void tenantRealmsAreMadeByMastersCreatorWhoseTokenCarriesCreateRealmAlone() {
    String master = keycloak.masterAdmin();
    JsonArray found =
        keycloak
            .admin(master, "GET", "/master/clients?clientId=" + KeycloakAdmin.CREATOR_CLIENT, null)
            .jsonArray();
    assertThat(found).as("the creator made at start").hasSize(1);
    JsonObject client = found.getJsonObject(0);
    assertThat(client.getBoolean("fullScopeAllowed")).isFalse();
    assertThat(client.getBoolean("serviceAccountsEnabled")).isTrue();
    assertThat(client.getBoolean("publicClient")).isFalse();

    // Its token carries create-realm and nothing else: no realm's admin roles.
    JsonObject claims = TestRealms.claims(keycloak.creator());
    assertThat(claims.getJsonObject("realm_access").getJsonArray("roles").getList())
        .containsExactly(RealmTemplates.CREATE_REALM_ROLE);
    assertThat(claims.getJsonObject("resource_access", new JsonObject())).isEmpty();

    String slug = slug();
    created(admin, slug, null);
    String realm = RealmTemplates.tenantRealm(slug);

    // Keycloak grants whoever creates a realm (unless master admin) the admin roles of the
    // realm's client in master, <realm>-realm: the creator's service account has them, so it
    // made the realm.
    String userId =
        keycloak
            .admin(
                master,
                "GET",
                "/master/clients/" + client.getString("id") + "/service-account-user",
                null)
            .json()
            .getString("id");
    JsonObject mappings =
        keycloak.admin(master, "GET", "/master/users/" + userId + "/role-mappings", null).json();
    assertThat(mappings.getJsonObject("clientMappings", new JsonObject()).fieldNames())
        .contains(realm + "-realm");

    // Deleting (ADR 0010): the creator cannot, its token holding create-realm alone; the realm's
    // own account can (realm-management's realm-admin includes manage-realm).
    KeycloakTestClient.Response byCreator =
        keycloak.admin(keycloak.creator(), "DELETE", "/" + realm, null);
    assertThat(byCreator.status()).as(byCreator.body()).isEqualTo(403);
    assertThat(realmExists(realm)).isTrue();
    KeycloakTestClient.Response byItsAccount =
        keycloak.admin(keycloak.provisioner(realm), "DELETE", "/" + realm, null);
    assertThat(byItsAccount.status()).as(byItsAccount.body()).isEqualTo(204);
    assertThat(realmExists(realm)).isFalse();
    deleted(slug); // the realm gone already counts as removed
  }

  @Test
  void anOrganizationTenantGetsAnOrganizationInTheSharedRealm() {
    String slug = slug();
    JsonObject identity =
        created(admin, slug, new JsonObject().put("mode", "organization"))
            .getJsonObject("identity");

    String shared = RealmTemplates.SHARED_REALM;
    assertThat(identity.getString("mode")).isEqualTo("organization");
    assertThat(identity.getString("organization")).isEqualTo(slug);
    assertThat(identity.getString("realm")).isEqualTo(shared);
    assertThat(identity.getString("issuer")).isEqualTo(keycloak.issuer(shared));
    assertThat(identity.getString("appClientId")).isEqualTo("app-" + slug);

    String provisioner = keycloak.provisioner(shared);
    String user = "u-" + slug;
    String userId = keycloak.createUser(provisioner, shared, user, USER_PASSWORD);
    KeycloakTestClient.Response member =
        keycloak.admin(
            provisioner,
            "POST",
            "/" + shared + "/organizations/" + identity.getString("organizationId") + "/members",
            userId);
    assertThat(member.status()).as(member.body()).isEqualTo(201);
    JsonObject claims =
        TestRealms.claims(keycloak.password(shared, "app-" + slug, user, USER_PASSWORD));
    assertThat(claims.getString("iss")).isEqualTo(identity.getString("issuer"));
    assertThat(claims.getJsonArray("aud").getList()).contains(identity.getString("audience"));
    assertThat(claims.getJsonArray("organization").getList()).contains(slug);

    deleted(slug);
    assertThat(
            keycloak
                .admin(
                    provisioner,
                    "GET",
                    "/" + shared + "/organizations/" + identity.getString("organizationId"),
                    null)
                .status())
        .isEqualTo(404);
  }

  @Test
  void anExternalIssuerIsCheckedByItsDiscoveryDocument() {
    String issuer = keycloak.issuer(RealmTemplates.PLATFORM_REALM);
    String good = slug();
    JsonObject identity =
        created(
                admin,
                good,
                new JsonObject()
                    .put("mode", "external")
                    .put("issuer", issuer)
                    .put("audience", "shop-api"))
            .getJsonObject("identity");
    assertThat(identity.getString("mode")).isEqualTo("external");
    assertThat(identity.getString("issuer")).isEqualTo(issuer);
    assertThat(identity.getString("audience")).isEqualTo("shop-api");
    assertThat(identity.getString("discoveryUrl"))
        .isEqualTo(issuer + "/.well-known/openid-configuration");

    for (String bad :
        List.of(
            issuer + "/",
            keycloak.server.url() + "/realms/no-such-realm",
            "http://127.0.0.1:1/realms/x")) {
      String slug = slug();
      Response refused =
          admin.postJson(
              "/admin/v1/tenants",
              tenant(
                  slug,
                  new JsonObject()
                      .put("mode", "external")
                      .put("issuer", bad)
                      .put("audience", "a")));
      assertThat(refused.status()).as(bad + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.json().getString("code")).isEqualTo("validation_failed");
      assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("identity.issuer");
      assertThat(admin.get("/admin/v1/tenants/" + slug).status()).as("nothing made").isEqualTo(404);
    }
    deleted(good);
  }

  @Test
  void aFailureAfterTheRealmWasMadeRemovesTheRealm() {
    ControlPlane failing = new ControlPlane();
    try {
      PlinthClient client =
          failing.start(new FailOnce(Step.IDENTITY, StepObserver.Point.AFTER), keycloak.settings());
      String slug = slug();
      Response r = client.postJson("/admin/v1/tenants", tenant(slug, null));

      assertThat(r.status()).as(r.body()).isEqualTo(500);
      assertThat(r.json().getString("code")).isEqualTo("provisioning_failed");
      assertThat(client.get("/admin/v1/tenants/" + slug).json().getString("status"))
          .isEqualTo("failed");
      assertThat(realmExists(RealmTemplates.tenantRealm(slug))).as("realm rolled back").isFalse();
    } finally {
      failing.close();
    }
  }

  @Test
  void realmsArePlacedOnTheInstanceWithTheFewestUnderItsCap() {
    ControlPlane placed = new ControlPlane();
    try {
      Map<String, String> settings = new HashMap<>(keycloak.settings());
      settings.remove(IdentitySettings.KEYCLOAK_URL.key());
      // Two names for the one Keycloak: placement counts by name, in the registry.
      settings.put(
          IdentitySettings.KEYCLOAK_INSTANCES.key(),
          "a=" + keycloak.server.url() + ",b=" + keycloak.server.url());
      settings.put(IdentitySettings.REALMS_PER_INSTANCE.key(), "1");
      PlinthClient client = placed.start(StepObserver.NONE, settings);
      String first = slug();
      String second = slug();
      String third = slug();

      assertThat(created(client, first, null).getJsonObject("identity").getString("keycloak"))
          .isEqualTo("a");
      assertThat(created(client, second, null).getJsonObject("identity").getString("keycloak"))
          .isEqualTo("b");
      Response full = client.postJson("/admin/v1/tenants", tenant(third, null));
      assertThat(full.status()).as(full.body()).isEqualTo(500);
      assertThat(full.json().getString("detail")).contains("cap of 1");
      assertThat(realmExists(RealmTemplates.tenantRealm(third))).isFalse();

      for (String slug : List.of(first, second)) {
        assertThat(client.delete("/admin/v1/tenants/" + slug).status()).isEqualTo(202);
        Eventually.poll(
            Duration.ofSeconds(30),
            () -> client.get("/admin/v1/tenants/" + slug),
            g -> g.status() == 404);
      }
    } finally {
      placed.close();
    }
  }

  private static String tamper(String token) {
    int last = token.length() - 5;
    char c = token.charAt(last);
    return token.substring(0, last) + (c == 'A' ? 'B' : 'A') + token.substring(last + 1);
  }
}
