package io.plinth.bench.run;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keycloak's admin REST API and token endpoint over plain {@code java.net.http}, one request at a
 * time, each timed. Tokens, secrets and request bodies are never put into exception messages (a
 * Keycloak error body is, shortened; it holds none of them).
 */
public final class KeycloakHttp {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final SecureRandom SECRETS = new SecureRandom();

  /** An answer, with the time from sending to the whole body read. */
  public record Answer(int status, String body, Optional<String> location, long nanos) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public double millis() {
      return nanos / 1e6;
    }

    /** The id at the end of the Location header of a 201. */
    public String createdId() {
      String url = location.orElseThrow(() -> new IllegalStateException("no Location header"));
      return url.substring(url.lastIndexOf('/') + 1);
    }
  }

  /** An access token and when to stop using it; {@link #toString()} hides the value. */
  public record Token(String value, long expiresAtNanos, long nanos, int length) {
    public boolean fresh() {
      return System.nanoTime() < expiresAtNanos;
    }

    @Override
    public String toString() {
      return "Token[******, " + length + " chars]";
    }
  }

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  public KeycloakHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A token from {@code realm}'s token endpoint; fails unless 200. */
  public Token token(String realm, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token"))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    Answer answer = send(request);
    if (answer.status() != 200) {
      throw new IllegalStateException(
          "token request in realm "
              + realm
              + " ("
              + form.getOrDefault("grant_type", "?")
              + ") answered "
              + answer.status()
              + ": "
              + shorten(answer.body()));
    }
    JsonObject json = answer.json();
    String value = json.getString("access_token");
    long lifetime = json.getLong("expires_in", 60L);
    // Renewed 15 s early, so a token never expires between the check and Keycloak's.
    long expires = System.nanoTime() + Duration.ofSeconds(Math.max(1, lifetime - 15)).toNanos();
    return new Token(value, expires, answer.nanos(), value.length());
  }

  public Token password(String realm, String clientId, String username, String password) {
    return token(
        realm,
        Map.of(
            "grant_type", "password",
            "client_id", clientId,
            "username", username,
            "password", password));
  }

  public Token clientCredentials(String realm, String clientId, String secret) {
    return token(
        realm,
        Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
  }

  public Answer get(Token token, String path) {
    return expect(200, "GET", path, admin(token, path).GET().build());
  }

  public Answer post(Token token, String path, String json) {
    return expect(
        201,
        "POST",
        path,
        admin(token, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** A POST answered 204 (role mappings, organization members) or 201. */
  public Answer postNoContent(Token token, String path, String json) {
    Answer answer =
        send(
            admin(token, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    if (answer.status() != 204 && answer.status() != 201) {
      throw failed("POST", path, answer);
    }
    return answer;
  }

  /** {@code token} while it is fresh, else a new one from {@code fetch}. */
  public static Token fresh(Token token, Supplier<Token> fetch) {
    return token != null && token.fresh() ? token : fetch.get();
  }

  /** A token fetched again when it is about to expire (not timed: a cached token is the norm). */
  public static Supplier<Token> cached(Supplier<Token> fetch) {
    Token[] current = {null};
    return () -> {
      current[0] = fresh(current[0], fetch);
      return current[0];
    };
  }

  /** A user with every attribute the default user profile asks for, so a password grant works. */
  public static JsonObject user(String username, String password) {
    return new JsonObject()
        .put("username", username)
        .put("enabled", true)
        .put("email", username + "@example.test")
        .put("emailVerified", true)
        .put("firstName", "Bench")
        .put("lastName", "User")
        .put(
            "credentials",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "password")
                        .put("value", password)
                        .put("temporary", false)));
  }

  /**
   * 24 random bytes, base64url: a password or a client secret, made here, used, and never printed.
   */
  public static String secret() {
    byte[] bytes = new byte[24];
    SECRETS.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private HttpRequest.Builder admin(Token token, String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms" + path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token.value());
  }

  private Answer expect(int status, String method, String path, HttpRequest request) {
    Answer answer = send(request);
    if (answer.status() != status) {
      throw failed(method, path, answer);
    }
    return answer;
  }

  private static IllegalStateException failed(String method, String path, Answer answer) {
    return new IllegalStateException(
        method
            + " /admin/realms"
            + path
            + " answered "
            + answer.status()
            + ": "
            + shorten(answer.body()));
  }

  private Answer send(HttpRequest request) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Location"),
          System.nanoTime() - start);
    } catch (IOException e) {
      throw new IllegalStateException(
          request.method() + " " + request.uri().getPath() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String shorten(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }
}
