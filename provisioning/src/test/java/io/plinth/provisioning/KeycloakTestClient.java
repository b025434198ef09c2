package io.plinth.provisioning;

import io.plinth.platform.config.Secret;
import io.plinth.provisioning.identity.IdentitySettings;
import io.plinth.provisioning.identity.KeycloakAdmin;
import io.plinth.testing.TestKeycloak;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The test JVM's Keycloak as tests use it directly: tokens by password or client credentials, admin
 * calls as a realm's own {@code plinth-provisioner} account or master's realm creator (as the
 * control plane makes them) or as master's administrator (to look at what was made), and the
 * settings that point a control plane at it.
 */
final class KeycloakTestClient {

  /** The secret of the platform realm's plinth-automation client in every test (one Keycloak). */
  static final String AUTOMATION_SECRET = "test-automation-secret-0123456789";

  static final String FIRST_OPERATOR = "ops";
  static final String FIRST_OPERATOR_PASSWORD = "first-operator-pass-0123";

  final TestKeycloak.Server server = TestKeycloak.server();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A control plane's settings for this Keycloak as instance {@code default}. */
  Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(IdentitySettings.KEYCLOAK_URL.key(), server.url());
    s.put(IdentitySettings.ADMIN_USER.key(), server.adminUser());
    s.put(IdentitySettings.ADMIN_PASSWORD.key(), server.adminPassword());
    s.put(IdentitySettings.AUTOMATION_SECRET.key(), AUTOMATION_SECRET);
    s.put(IdentitySettings.FIRST_OPERATOR.key(), FIRST_OPERATOR);
    s.put(IdentitySettings.FIRST_OPERATOR_PASSWORD.key(), FIRST_OPERATOR_PASSWORD);
    s.put(IdentitySettings.RETRY_MAX_DELAY.key(), "2s");
    return s;
  }

  String issuer(String realm) {
    return server.url() + "/realms/" + realm;
  }

  /** The token endpoint's answer (JSON), whatever its status. */
  Response token(String realm, Map<String, String> form) {
    return send(
        HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(form))));
  }

  String accessToken(String realm, Map<String, String> form) {
    Response r = token(realm, form);
    if (r.status() != 200) {
      throw new AssertionError("no token from " + realm + ": " + r.status() + " " + r.body());
    }
    return r.json().getString("access_token");
  }

  String clientCredentials(String realm, String clientId, String secret) {
    return accessToken(
        realm,
        Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
  }

  String password(String realm, String clientId, String user, String password) {
    return accessToken(
        realm,
        Map.of(
            "grant_type",
            "password",
            "client_id",
            clientId,
            "username",
            user,
            "password",
            password));
  }

  /** An access token of a realm's own provisioning account, as the control plane gets one. */
  String provisioner(String realm) {
    return clientCredentials(
        realm,
        KeycloakAdmin.PROVISIONER_CLIENT,
        KeycloakAdmin.provisionerSecret(
            new Secret(server.adminPassword()), IdentitySettings.DEFAULT_INSTANCE, realm));
  }

  /** An access token of master's realm creator, as the control plane gets one. */
  String creator() {
    return clientCredentials(
        "master",
        KeycloakAdmin.CREATOR_CLIENT,
        KeycloakAdmin.creatorSecret(new Secret(server.adminPassword()), server.url()));
  }

  String masterAdmin() {
    return password("master", "admin-cli", server.adminUser(), server.adminPassword());
  }

  /** An admin call, {@code path} under /admin/realms. */
  Response admin(String token, String method, String path, Object body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + "/admin/realms" + path))
            .header("Authorization", "Bearer " + token);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String text = body instanceof String s ? "\"" + s + "\"" : body.toString();
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(text));
    }
    return send(b);
  }

  /** Creates a user who may sign in with the password; returns the user's id. */
  String createUser(String token, String realm, String username, String password) {
    JsonObject user = io.plinth.testing.TestRealms.user(username, password);
    Response r = admin(token, "POST", "/" + realm + "/users", user);
    if (r.status() != 201) {
      throw new AssertionError("user not created: " + r.status() + " " + r.body());
    }
    String location = r.headers().firstValue("Location").orElseThrow();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray jsonArray() {
      return new JsonArray(body);
    }
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
