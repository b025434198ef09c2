package io.plinth.console;

import io.plinth.testing.TestKeycloak;
import io.plinth.testing.TestRealms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Operators in the platform realm, made through Keycloak's admin REST API as master's
 * administrator: a user with the realm role platform-admin, and the console's client pointed at a
 * console whose port a test chose (the realm may have been made by an earlier control plane).
 */
final class Operators {

  static final String REALM = "plinth";
  private final TestRealms keycloak;

  Operators(TestKeycloak.Server server) {
    this.keycloak = new TestRealms(server);
  }

  boolean exists(String username) {
    return !new JsonArray(
            keycloak.admin(
                "GET",
                "/admin/realms/" + REALM + "/users?exact=true&username=" + username,
                null,
                200))
        .isEmpty();
  }

  /** Makes {@code username} (password {@link TestRealms#passwordOf}) a platform-admin. */
  void create(String username) {
    keycloak.createUser(REALM, username);
    String id =
        new JsonArray(
                keycloak.admin(
                    "GET",
                    "/admin/realms/" + REALM + "/users?exact=true&username=" + username,
                    null,
                    200))
            .getJsonObject(0)
            .getString("id");
    JsonObject role =
        new JsonObject(
            keycloak.admin("GET", "/admin/realms/" + REALM + "/roles/platform-admin", null, 200));
    keycloak.adminArray(
        "POST",
        "/admin/realms/" + REALM + "/users/" + id + "/role-mappings/realm",
        new JsonArray().add(role),
        204);
  }

  /** Lets the console at {@code consoleUrl} sign in and out with the client plinth-console. */
  void allowConsoleAt(String consoleUrl) {
    JsonObject client =
        new JsonArray(
                keycloak.admin(
                    "GET",
                    "/admin/realms/" + REALM + "/clients?clientId=plinth-console",
                    null,
                    200))
            .getJsonObject(0);
    client.put("redirectUris", new JsonArray().add(consoleUrl + "/*"));
    client.put("webOrigins", new JsonArray().add("+"));
    client.getJsonObject("attributes").put("post.logout.redirect.uris", "+");
    keycloak.admin(
        "PUT", "/admin/realms/" + REALM + "/clients/" + client.getString("id"), client, 204);
  }

  /** How long the platform realm's access tokens live, in seconds. */
  int accessTokenLifespan() {
    return new JsonObject(keycloak.admin("GET", "/admin/realms/" + REALM, null, 200))
        .getInteger("accessTokenLifespan");
  }

  /** Makes the platform realm's access tokens (and ID tokens) live {@code seconds}. */
  void accessTokenLifespan(int seconds) {
    keycloak.admin(
        "PUT", "/admin/realms/" + REALM, new JsonObject().put("accessTokenLifespan", seconds), 204);
  }
}
