package io.plinth.bench.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What the identity bench sends Keycloak: realm and client representations, with the names and
 * roles of a tenant realm, and the names of its realms and organizations (users and secrets: {@link
 * io.plinth.bench.run.KeycloakHttp#user}, {@link io.plinth.bench.run.KeycloakHttp#secret}).
 */
final class Representations {

  static final String PROVISIONER = "plinth-provisioner";
  static final String APP = "plinth-app";
  static final String SERVER = "plinth-server";
  static final String CREATOR = "plinth-realm-creator";
  static final String SHARED_REALM = "plinth-shared";

  private static final List<String> PROVISIONER_ROLES =
      List.of(
          "manage-users",
          "view-users",
          "query-users",
          "query-groups",
          "manage-clients",
          "view-clients",
          "query-clients",
          "view-realm");
  private static final List<String> SHARED_PROVISIONER_ROLES =
      List.of(
          "manage-realm",
          "view-realm",
          "manage-users",
          "view-users",
          "query-users",
          "query-groups",
          "view-clients",
          "query-clients");

  private Representations() {}

  static JsonObject realmSettings(String realm) {
    return new JsonObject()
        .put("realm", realm)
        .put("enabled", true)
        .put("bruteForceProtected", true)
        .put("failureFactor", 10)
        .put("passwordPolicy", "length(12) and notUsername")
        .put("accessTokenLifespan", 300)
        .put("ssoSessionIdleTimeout", 1800)
        .put("ssoSessionMaxLifespan", 36000);
  }

  /** A tenant realm in one piece: settings, clients, a role, the provisioner's account. */
  static JsonObject realmRepresentation(
      String realm, String provisionerSecret, boolean organizations) {
    JsonObject serviceAccount =
        new JsonObject()
            .put("username", "service-account-" + PROVISIONER)
            .put("enabled", true)
            .put("serviceAccountClientId", PROVISIONER)
            .put(
                "clientRoles",
                new JsonObject()
                    .put(
                        "realm-management",
                        new JsonArray(
                            organizations ? SHARED_PROVISIONER_ROLES : PROVISIONER_ROLES)));
    JsonObject rep =
        realmSettings(realm)
            .put(
                "clients",
                new JsonArray()
                    .add(appClient())
                    .add(serverClient())
                    .add(serviceClient(PROVISIONER).put("secret", provisionerSecret)))
            .put(
                "roles",
                new JsonObject()
                    .put("realm", new JsonArray().add(new JsonObject().put("name", "app-user"))))
            .put("users", new JsonArray().add(serviceAccount));
    if (organizations) {
      rep.put("organizationsEnabled", true);
    }
    return rep;
  }

  static JsonObject appClient() {
    return new JsonObject()
        .put("clientId", APP)
        .put("publicClient", true)
        .put("standardFlowEnabled", true)
        .put("directAccessGrantsEnabled", true)
        .put("redirectUris", new JsonArray().add("http://localhost:3000/*"))
        .put("webOrigins", new JsonArray().add("+"))
        .put("attributes", new JsonObject().put("pkce.code.challenge.method", "S256"));
  }

  static JsonObject probeClient(String clientId) {
    return new JsonObject()
        .put("clientId", clientId)
        .put("publicClient", true)
        .put("directAccessGrantsEnabled", false);
  }

  static JsonObject serverClient() {
    return serviceClient(SERVER);
  }

  /** A confidential client with a service account and no other flow. */
  static JsonObject serviceClient(String clientId) {
    return new JsonObject()
        .put("clientId", clientId)
        .put("publicClient", false)
        .put("serviceAccountsEnabled", true)
        .put("standardFlowEnabled", false)
        .put("directAccessGrantsEnabled", false);
  }

  static String usersPath(String realm) {
    return "/" + realm + "/users?max=20&briefRepresentation=true";
  }

  /** A realm's or an organization's name: kind r, b, c (realms) or o, and its number. */
  static String slug(String kind, int n) {
    return kind.equals("o")
        ? String.format(Locale.ROOT, "t%05d", n)
        : String.format(Locale.ROOT, "plinth-%s%05d", kind, n);
  }
}
