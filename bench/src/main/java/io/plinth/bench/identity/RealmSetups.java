package io.plinth.bench.identity;

import static io.plinth.bench.identity.Representations.APP;
import static io.plinth.bench.identity.Representations.CREATOR;
import static io.plinth.bench.identity.Representations.PROVISIONER;
import static io.plinth.bench.identity.Representations.SERVER;
import static io.plinth.bench.run.KeycloakHttp.secret;
import static io.plinth.bench.run.KeycloakHttp.user;

import io.plinth.bench.run.KeycloakHttp;
import io.plinth.bench.run.KeycloakHttp.Token;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The ways of setting a tenant realm up through Keycloak's admin API: the baseline (separate calls
 * as master {@code admin}), the realm way (one representation, then the follow-up calls with the
 * realm's own service account), and master's create-realm service account that makes realms the
 * realm way (mode master-sa).
 */
final class RealmSetups {

  /** A tenant realm that has a provisioner service account (made by the realm or master-sa way). */
  record TenantRealm(String realm, String provisionerSecret, String userPassword) {}

  /** The realm way: one representation, then the follow-up calls with the realm's own account. */
  record RealmSetup(TenantRealm tenant, double importMillis, double followUpMillis) {
    double total() {
      return importMillis + followUpMillis;
    }
  }

  private final KeycloakHttp http;
  private final IdentityBenchOptions options;

  RealmSetups(KeycloakHttp http, IdentityBenchOptions options) {
    this.http = http;
    this.options = options;
  }

  /** The realm way, the realm created with {@code creatorToken}'s rights. */
  RealmSetup realmWay(Token creatorToken, String realm) {
    String provisionerSecret = secret();
    String userPassword = secret();
    JsonObject rep = Representations.realmRepresentation(realm, provisionerSecret, false);
    rep.getJsonArray("users").add(user("owner", userPassword));
    long start = System.nanoTime();
    http.post(creatorToken, "", rep.encode());
    long imported = System.nanoTime();
    Token sa = http.clientCredentials(realm, PROVISIONER, provisionerSecret);
    http.post(sa, "/" + realm + "/users", user("developer", secret()).encode());
    JsonArray clients = http.get(sa, "/" + realm + "/clients?clientId=" + SERVER).array();
    String id = clients.getJsonObject(0).getString("id");
    String value =
        http.get(sa, "/" + realm + "/clients/" + id + "/client-secret").json().getString("value");
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("no secret for " + SERVER + " in " + realm);
    }
    long done = System.nanoTime();
    return new RealmSetup(
        new TenantRealm(realm, provisionerSecret, userPassword),
        (imported - start) / 1e6,
        (done - imported) / 1e6);
  }

  /** The baseline: realm, public client, confidential client, user; ms per call. */
  double[] baseline(Token master, String realm) {
    JsonObject bare = Representations.realmSettings(realm);
    double realmMs = http.post(master, "", bare.encode()).millis();
    double app =
        http.post(master, "/" + realm + "/clients", Representations.appClient().encode()).millis();
    double server =
        http.post(master, "/" + realm + "/clients", Representations.serverClient().encode())
            .millis();
    double user =
        http.post(master, "/" + realm + "/users", user("owner", secret()).encode()).millis();
    return new double[] {realmMs, app, server, user};
  }

  /** An end user's token request in a realm made the realm way, timed. */
  Token endUserToken(TenantRealm t) {
    return http.password(t.realm(), APP, "owner", t.userPassword());
  }

  /**
   * A master-realm confidential client whose service account holds only {@code create-realm}, its
   * tokens as {@code --creator-token} says. Returns its secret.
   */
  String createRealmCreator(Token master) {
    String secret = secret();
    JsonObject client = Representations.serviceClient(CREATOR).put("secret", secret);
    switch (options.creatorToken()) {
      case "lightweight" ->
          client.put(
              "attributes",
              new JsonObject().put("client.use.lightweight.access.token.enabled", "true"));
      case "scoped" -> client.put("fullScopeAllowed", false);
      default -> {
        // regular: full scope, every role the account holds goes into its token
      }
    }
    String id = http.post(master, "/master/clients", client.encode()).createdId();
    String userId =
        http.get(master, "/master/clients/" + id + "/service-account-user").json().getString("id");
    JsonObject role = http.get(master, "/master/roles/create-realm").json();
    http.postNoContent(
        master,
        "/master/users/" + userId + "/role-mappings/realm",
        new JsonArray().add(role).encode());
    if (options.creatorToken().equals("scoped")) {
      http.postNoContent(
          master,
          "/master/clients/" + id + "/scope-mappings/realm",
          new JsonArray().add(role).encode());
    }
    return secret;
  }
}
