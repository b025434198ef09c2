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
 * Keycloak's admin REST API on one instance, over Vert.x's non-blocking web client. Three callers
 * (ADR 0010), because master {@code admin}'s permission checks grow with the number of realms
 * (issue 7) while the other two's do not:
 *
 * <ul>
 *   <li>{@link #REALM_CREATOR}, master's {@value #CREATOR_CLIENT}: its token carries {@code
 *       create-realm} alone; it creates tenant realms and the shared realm, one POST each;
 *   <li>each realm's own service account {@value #PROVISIONER_CLIENT}, for everything inside that
 *       realm, deleting it included;
 *   <li>{@link #MASTER_ADMIN}, master's administrator: at control-plane start only, to make the
 *       platform realm and the creator account ({@link PlatformRealm}, {@link RealmCreator}), and
 *       as break-glass when a realm's own account is refused (deleting a realm whose secret
 *       changed).
 * </ul>
 *
 * <p>Access tokens are cached until shortly before they expire; a 401 refreshes once.
 *
 * <p>Failures are sorted for the workflow: no answer, a timeout, 5xx or 429 fail with {@link
 * IdentityUnavailable} (retried later); other answers are returned, and the caller decides which
 * statuses it accepts ({@link #expect}); an unexpected one fails with {@link KeycloakRefused}.
 */
public final class KeycloakAdmin {

  /** The client every realm made by Plinth has, with realm-management's realm-admin role. */
  public static final String PROVISIONER_CLIENT = "plinth-provisioner";

  /** Master's client whose service account may only create realms (ADR 0010). */
  public static final String CREATOR_CLIENT = "plinth-realm-creator";

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

  /** Who calls: master's administrator, master's realm creator, or a realm's own account. */
  public sealed interface Caller {}

  /** The master realm's administrator: start-up bootstrap and break-glass only. */
  public record MasterAdmin() implements Caller {}

  /** Master's {@value #CREATOR_CLIENT} service account: creates realms, nothing else. */
  public record CreatorAccount() implements Caller {}

  /** The {@value #PROVISIONER_CLIENT} service account of {@code realm}. */
  public record RealmAccount(String realm) implements Caller {}

  public static final Caller MASTER_ADMIN = new MasterAdmin();

  public static final Caller REALM_CREATOR = new CreatorAccount();

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
    return derivedSecret(adminPassword, PROVISIONER_CLIENT, instance, realm);
  }

  /**
   * The secret of master's {@value #CREATOR_CLIENT}, derived like a provisioner's, over the
   * instance's URL rather than its name: the account belongs to the one master realm of that
   * Keycloak, which two instance names for one Keycloak share.
   */
  public String creatorSecret() {
    return creatorSecret(adminPassword, instance.url().toString());
  }

  /** The same, for tools and tests that hold the administrator's password. */
  public static String creatorSecret(Secret adminPassword, String instanceUrl) {
    return derivedSecret(adminPassword, CREATOR_CLIENT, instanceUrl, MASTER);
  }

  /** HMAC-SHA256 of the administrator's password over client, instance and realm; URL-safe. */
  private static String derivedSecret(
      Secret adminPassword, String client, String instance, String realm) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(adminPassword.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest =
          mac.doFinal((client + ":" + instance + ":" + realm).getBytes(StandardCharsets.UTF_8));
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

  /**
   * The claims of {@code caller}'s access token (the cached one, or a new one), decoded but not
   * verified: it came straight from Keycloak's token endpoint. Fails as a call would when Keycloak
   * refuses the token ({@link KeycloakRefused}) or does not answer ({@link IdentityUnavailable}).
   */
  public Future<JsonObject> tokenClaims(Caller caller) {
    return token(caller)
        .map(
            token -> {
              String[] parts = token.value().split("\\.");
              return new JsonObject(
                  new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            });
  }

  /** Drops {@code caller}'s cached token: the next call asks for a new one. */
  void forgetToken(Caller caller) {
    tokens.remove(key(caller));
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

  /** The token cache's key: one token per caller (realm names cannot hold a '/'). */
  private static String key(Caller caller) {
    if (caller instanceof RealmAccount account) {
      return account.realm();
    }
    return caller instanceof CreatorAccount ? MASTER + "/" + CREATOR_CLIENT : MASTER + "/admin";
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
    String who;
    if (caller instanceof RealmAccount account) {
      realm = account.realm();
      who = PROVISIONER_CLIENT;
      clientCredentials(form, who, provisionerSecret(realm));
    } else if (caller instanceof CreatorAccount) {
      realm = MASTER;
      who = CREATOR_CLIENT;
      clientCredentials(form, who, creatorSecret());
    } else {
      realm = MASTER;
      who = adminUser;
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
                            + who
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

  private static void clientCredentials(MultiMap form, String client, String secret) {
    form.add("grant_type", "client_credentials")
        .add("client_id", client)
        .add("client_secret", secret);
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
