package io.plinth.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Realms in the test Keycloak ({@link TestKeycloak}) through its admin REST API, shaped as a
 * tenant's: a public client {@value #CLIENT} with direct access grants whose access tokens carry a
 * given audience, and users with passwords; and sign-ins as those users (direct grant), as a
 * tenant's app would get tokens. Blocking: for test threads.
 */
public final class TestRealms {

  /** The public client of every realm made here. */
  public static final String CLIENT = "app";

  private final TestKeycloak.Server server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public TestRealms(TestKeycloak.Server server) {
    this.server = server;
  }

  /** The issuer of a realm's tokens. */
  public String issuer(String realm) {
    return server.url() + "/realms/" + realm;
  }

  /** The password every user made here has: tests need no secrets of their own. */
  public static String passwordOf(String username) {
    return "pw-" + username + "-Secret1";
  }

  /**
   * Creates a realm with the client {@value #CLIENT}, whose access tokens carry {@code audience}
   * and live {@code accessTokenLifespan}, and users of these names (password {@link #passwordOf}).
   */
  public void createRealm(
      String realm, String audience, Duration accessTokenLifespan, List<String> usernames) {
    createRealm(realm, audience, accessTokenLifespan, usernames, new JsonObject());
  }

  /** Like the above, with more of the realm representation (e.g. organizations). */
  public void createRealm(
      String realm,
      String audience,
      Duration accessTokenLifespan,
      List<String> usernames,
      JsonObject more) {
    JsonArray users = new JsonArray();
    for (String username : usernames) {
      users.add(user(username));
    }
    JsonObject client =
        new JsonObject()
            .put("clientId", CLIENT)
            .put("publicClient", true)
            .put("directAccessGrantsEnabled", true)
            .put("standardFlowEnabled", false)
            .put(
                "protocolMappers",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "audience")
                            .put("protocol", "openid-connect")
                            .put("protocolMapper", "oidc-audience-mapper")
                            .put(
                                "config",
                                new JsonObject()
                                    .put("included.custom.audience", audience)
                                    .put("access.token.claim", "true")
                                    .put("id.token.claim", "false"))));
    JsonObject representation =
        new JsonObject()
            .put("realm", realm)
            .put("enabled", true)
            .put("accessTokenLifespan", (int) accessTokenLifespan.toSeconds())
            .put("clients", new JsonArray().add(client))
            .put("users", users)
            .mergeIn(more, true);
    admin("POST", "/admin/realms", representation, 201);
  }

  /** Adds a user (password {@link #passwordOf}) to an existing realm, e.g. one Plinth made. */
  public void createUser(String realm, String username) {
    admin("POST", "/admin/realms/" + realm + "/users", user(username), 201);
  }

  /** A user with everything Keycloak's user profile asks for, so sign-in needs no more steps. */
  private static JsonObject user(String username) {
    return user(username, passwordOf(username));
  }

  /**
   * The user representation for {@code POST /admin/realms/<realm>/users}: every attribute the
   * default user profile asks for, so a password grant works at once.
   */
  public static JsonObject user(String username, String password) {
    return new JsonObject()
        .put("username", username)
        .put("enabled", true)
        .put("email", username + "@example.test")
        .put("emailVerified", true)
        .put("firstName", username)
        .put("lastName", "Test")
        .put(
            "credentials",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "password")
                        .put("value", password)
                        .put("temporary", false)));
  }

  /** Deletes a realm (its keys stay wherever they were cached). */
  public void deleteRealm(String realm) {
    admin("DELETE", "/admin/realms/" + realm, null, 204);
  }

  /**
   * Makes an organization in a realm with organizations enabled (representation field {@code
   * organizationsEnabled}), whose members are these users; answers its id.
   */
  public String createOrganization(String realm, String alias, List<String> members) {
    String base = "/admin/realms/" + realm + "/organizations";
    admin(
        "POST",
        base,
        new JsonObject()
            .put("name", alias)
            .put("alias", alias)
            .put(
                "domains",
                new JsonArray().add(new JsonObject().put("name", alias + ".example.test"))),
        201);
    String id =
        new JsonArray(send("GET", base + "?exact=true&search=" + alias, null, 200))
            .getJsonObject(0)
            .getString("id");
    for (String username : members) {
      String userId =
          new JsonArray(
                  send(
                      "GET",
                      "/admin/realms/" + realm + "/users?exact=true&username=" + username,
                      null,
                      200))
              .getJsonObject(0)
              .getString("id");
      // The body is the user's id as a JSON string.
      send("POST", base + "/" + id + "/members", "\"" + userId + "\"", 201);
    }
    return id;
  }

  /** Sends an admin request as the master realm's administrator; answers the body, if JSON. */
  public String admin(String method, String path, JsonObject body, int expectedStatus) {
    return send(method, path, body == null ? null : body.encode(), expectedStatus);
  }

  /** Like {@link #admin}, with a JSON array as the body (e.g. a user's role mappings). */
  public String adminArray(String method, String path, JsonArray body, int expectedStatus) {
    return send(method, path, body.encode(), expectedStatus);
  }

  private String send(String method, String path, String body, int expectedStatus) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + adminToken())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != expectedStatus) {
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** A user's access token from the realm's client {@value #CLIENT} (direct grant). */
  public String signIn(String realm, String username) {
    return signIn(realm, username, Map.of());
  }

  /** Like {@link #signIn(String, String)}, with more form fields (e.g. {@code scope}). */
  public String signIn(String realm, String username, Map<String, String> more) {
    Map<String, String> form =
        new java.util.HashMap<>(
            Map.of(
                "grant_type",
                "password",
                "client_id",
                CLIENT,
                "username",
                username,
                "password",
                passwordOf(username)));
    form.putAll(more);
    return token(realm, form);
  }

  private String adminToken() {
    return token(
        "master",
        Map.of(
            "grant_type",
            "password",
            "client_id",
            "admin-cli",
            "username",
            server.adminUser(),
            "password",
            server.adminPassword()));
  }

  private String token(String realm, Map<String, String> form) {
    String encoded =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded))
                .build());
    if (response.statusCode() != 200) {
      // The body names the OAuth error; it never holds the password.
      throw new IllegalStateException(
          "sign-in at " + realm + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body()).getString("access_token");
  }

  /** The claims of a token, read without verifying it (for tests that need its subject). */
  public static JsonObject claims(String token) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
