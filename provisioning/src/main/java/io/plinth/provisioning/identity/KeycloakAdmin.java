package io.plinth.provisioning.identity;

import io.plinth.platform.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keycloak's admin REST API on one instance, over Vert.x's non-blocking web client. Two callers:
 * the master realm's administrator, only to create realms (and to repair a realm's provisioning
 * account), and each realm's own service account {@code plinth-provisioner} for everything inside
 * that realm, because master {@code admin}'s permission checks grow with the number of realms
 * (issue 7) while a realm's own account's do not. Access tokens are cached until shortly before
 * they expire; a 401 refreshes once.
 *
 * <p>Failures are sorted for the workflow: no answer, a timeout, 5xx or 429 fail with {@link
 * IdentityUnavailable} (retried later); other answers are returned, and the caller decides which
 * statuses it accepts ({@link #expect}); an unexpected one fails with {@link KeycloakRefused}.
 */
public final class KeycloakAdmin {

  /** The client every realm made by Plinth has, with realm-management's realm-admin role. */
  public static final String PROVISIONER_CLIENT = "plinth-provisioner";

  private static final String MASTER = "master";
  private static final Duration TOKEN_MARGIN = Duration.ofSeconds(10);

  private final WebClient web;
  private final KeycloakInstance instance;
  private final String adminUser;
  private final Secret adminPassword;
  private final long timeoutMillis;
  private final Map<String, Future<Token>> tokens = new ConcurrentHashMap<>();

  public KeycloakAdmin(
      WebClient web,
      KeycloakInstance instance,
      String adminUser,
      Secret adminPassword,
      Duration timeout) {
    this.web = web;
    this.instance = instance;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
    this.timeoutMillis = timeout.toMillis();
  }

  public KeycloakInstance instance() {
    return instance;
  }

  /** Who calls: master's administrator, or a realm's own provisioning account. */
  public sealed interface Caller {}

  /** The master realm's administrator. */
  public record MasterAdmin() implements Caller {}

  /** The {@value #PROVISIONER_CLIENT} service account of {@code realm}. */
  public record RealmAccount(String realm) implements Caller {}

  public static final Caller MASTER_ADMIN = new MasterAdmin();

  /** An answer: its status and body (JSON text, or empty). */
  public record Answer(int status, Buffer body, String location) {
    public JsonObject json() {
      return body == null || body.length() == 0 ? new JsonObject() : body.toJsonObject();
    }

    public JsonArray jsonArray() {
      return body == null || body.length() == 0 ? new JsonArray() : body.toJsonArray();
    }

    /** The id at the end of the Location header of a 201. */
    public String createdId() {
      return location == null ? null : location.substring(location.lastIndexOf('/') + 1);
    }
  }

  /**
   * The secret of a realm's {@value #PROVISIONER_CLIENT}: derived from the master administrator's
   * password, the instance and the realm, so any node can compute it and nothing is stored.
   */
  public String provisionerSecret(String realm) {
    return provisionerSecret(adminPassword, instance.name(), realm);
  }

  /** The same, for tools and tests that hold the administrator's password. */
  public static String provisionerSecret(Secret adminPassword, String instance, String realm) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(adminPassword.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest =
          mac.doFinal(
              ("plinth-provisioner:" + instance + ":" + realm).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An admin call, {@code path} under {@code /admin/realms}; {@code body} JSON or null. */
  public Future<Answer> call(HttpMethod method, String path, Caller caller, Object body) {
    return token(caller)
        .compose(token -> send(method, path, token.value(), body))
        .compose(
            answer -> {
              if (answer.status() != 401) {
                return Future.succeededFuture(answer);
              }
              // The token ran out early (a restart of Keycloak, a revoked session): once more.
              tokens.remove(key(caller));
              return token(caller).compose(token -> send(method, path, token.value(), body));
            });
  }

  /** Fails with {@link KeycloakRefused} unless the answer's status is one of {@code accepted}. */
  public static Future<Answer> expect(Answer answer, String what, int... accepted) {
    for (int status : accepted) {
      if (answer.status() == status) {
        return Future.succeededFuture(answer);
      }
    }
    return Future.failedFuture(
        new KeycloakRefused(
            answer.status(),
            "Keycloak refused to " + what + ": " + answer.status() + " " + reason(answer)));
  }

  /** Keycloak's own reason in an error answer, or nothing. */
  private static String reason(Answer answer) {
    try {
      JsonObject json = answer.json();
      for (String member : new String[] {"errorMessage", "error_description", "error"}) {
        if (json.getValue(member) instanceof String text) {
          return text.length() > 300 ? text.substring(0, 300) : text;
        }
      }
    } catch (RuntimeException e) {
      // not JSON: no reason to show
    }
    return "";
  }

  /** Whether master's public realm page answers within {@code millis}: for readiness. */
  public Future<Void> ping(long millis) {
    return web.getAbs(instance.url() + "/realms/" + MASTER)
        .timeout(millis)
        .connectTimeout(millis)
        .send()
        .recover(failure -> Future.failedFuture(unavailable(failure)))
        .compose(
            response ->
                response.statusCode() == 200
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new IdentityUnavailable(
                            "Keycloak '"
                                + instance.name()
                                + "' answered "
                                + response.statusCode())));
  }

  private Future<Answer> send(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request =
        web.requestAbs(method, instance.url() + "/admin/realms" + path)
            .timeout(timeoutMillis)
            .bearerTokenAuthentication(token);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJson(body);
    return sent.recover(failure -> Future.failedFuture(unavailable(failure)))
        .compose(
            response -> {
              if (response.statusCode() >= 500 || response.statusCode() == 429) {
                return Future.failedFuture(
                    new IdentityUnavailable(
                        "Keycloak '"
                            + instance.name()
                            + "' answered "
                            + response.statusCode()
                            + " to "
                            + method
                            + " "
                            + path));
              }
              return Future.succeededFuture(
                  new Answer(
                      response.statusCode(), response.body(), response.getHeader("Location")));
            });
  }

  private IdentityUnavailable unavailable(Throwable failure) {
    String why =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return new IdentityUnavailable("Keycloak '" + instance.name() + "' is unavailable: " + why);
  }

  private static String key(Caller caller) {
    return caller instanceof RealmAccount account ? account.realm() : "";
  }

  private Future<Token> token(Caller caller) {
    String key = key(caller);
    Future<Token> cached = tokens.get(key);
    if (cached != null && (!cached.isComplete() || cached.succeeded() && cached.result().fresh())) {
      return cached;
    }
    Future<Token> fetched = fetchToken(caller);
    tokens.put(key, fetched);
    // A failed fetch is not kept: the next call asks again.
    fetched.onFailure(ignored -> tokens.remove(key, fetched));
    return fetched;
  }

  private Future<Token> fetchToken(Caller caller) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    String realm;
    if (caller instanceof RealmAccount account) {
      realm = account.realm();
      form.add("grant_type", "client_credentials")
          .add("client_id", PROVISIONER_CLIENT)
          .add("client_secret", provisionerSecret(realm));
    } else {
      realm = MASTER;
      form.add("grant_type", "password")
          .add("client_id", "admin-cli")
          .add("username", adminUser)
          .add("password", adminPassword.value());
    }
    long asked = System.nanoTime();
    return web.postAbs(instance.url() + "/realms/" + realm + "/protocol/openid-connect/token")
        .timeout(timeoutMillis)
        .sendForm(form)
        .recover(failure -> Future.failedFuture(unavailable(failure)))
        .compose(
            response -> {
              int status = response.statusCode();
              if (status >= 500 || status == 429) {
                return Future.failedFuture(
                    new IdentityUnavailable(
                        "Keycloak '" + instance.name() + "' answered " + status + " for a token"));
              }
              Answer answer = new Answer(status, response.body(), null);
              if (status == 404) {
                return Future.failedFuture(new RealmMissing(realm));
              }
              if (status != 200) {
                return Future.failedFuture(
                    new KeycloakRefused(
                        status,
                        "Keycloak '"
                            + instance.name()
                            + "' refused a token for "
                            + (caller instanceof RealmAccount ? PROVISIONER_CLIENT : adminUser)
                            + " in realm "
                            + realm
                            + ": "
                            + reason(answer)));
              }
              JsonObject json = answer.json();
              long lifetime = json.getLong("expires_in", 60L);
              long expires = asked + Duration.ofSeconds(lifetime).minus(TOKEN_MARGIN).toNanos();
              return Future.succeededFuture(new Token(json.getString("access_token"), expires));
            });
  }

  /** The realm a token was asked of does not exist (Keycloak answers 404). */
  public static final class RealmMissing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RealmMissing(String realm) {
      super("realm " + realm + " does not exist", null, false, false);
    }
  }

  /** An access token and when to stop using it. */
  private record Token(String value, long useUntilNanos) {
    boolean fresh() {
      return System.nanoTime() - useUntilNanos < 0;
    }

    @Override
    public String toString() {
      return "Token[******]";
    }
  }
}
