package io.plinth.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * End-user sign-in at the tenant's identity provider, as {@code GET /v1/identity} names it (never
 * configured by hand): password sign-in, authorization code with PKCE for apps that open a browser,
 * refresh, sign-out. While a user is signed in, every call of the {@link PlinthClient} this belongs
 * to sends the user's access token, refreshed first when it expires within the refresh margin (30 s
 * by default). Thread-safe: concurrent calls share one refresh.
 *
 * <p>Failures are {@link PlinthException}s whose {@code code} says what went wrong: {@code
 * invalid_credentials} (wrong username or password), {@code session_expired} (the refresh token no
 * longer works: sign in again), {@code invalid_code}, {@code not_signed_in}, or the identity
 * provider's own OAuth error code. Their messages never hold a password or a token.
 */
public final class Auth {

  public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofSeconds(30);

  private static final Duration DEFAULT_CONFIG_AGE = Duration.ofSeconds(60);
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d{1,9})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PlinthClient client;
  private final Object lock = new Object();
  private final List<Consumer<Optional<Session>>> listeners = new CopyOnWriteArrayList<>();
  private volatile Session session;
  private volatile Duration refreshMargin = DEFAULT_REFRESH_MARGIN;
  private volatile SignInConfig config;
  private volatile long configFreshUntil;

  Auth(PlinthClient client) {
    this.client = client;
  }

  /**
   * The tenant's sign-in ({@code GET /v1/identity}), kept as long as the answer's {@code
   * Cache-Control: max-age} says.
   *
   * @throws PlinthException 404 {@code sign_in_not_configured} when the tenant has none
   */
  public SignInConfig signInConfig() {
    SignInConfig cached = config;
    if (cached != null && System.nanoTime() - configFreshUntil < 0) {
      return cached;
    }
    PlinthClient.Reply reply = client.send(PlinthClient.Call.of("GET", "/v1/identity"), false);
    SignInConfig fresh = SignInConfig.of(reply.body());
    Duration maxAge =
        reply
            .headers()
            .firstValue("Cache-Control")
            .map(MAX_AGE::matcher)
            .filter(Matcher::find)
            .map(match -> Duration.ofSeconds(Long.parseLong(match.group(1))))
            .orElse(DEFAULT_CONFIG_AGE);
    configFreshUntil = System.nanoTime() + maxAge.toNanos();
    config = fresh;
    return fresh;
  }

  /** Signs in with a username and password (the OAuth password grant of the tenant's client). */
  public Session signInWithPassword(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    SignInConfig sign = signInConfig();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", sign.clientId());
    form.put("username", username);
    form.put("password", password);
    form.put("scope", scope(sign));
    return signedIn(tokens(sign, form, "invalid_credentials", password));
  }

  /**
   * Where to send the user to sign in in a browser: the tenant's authorization endpoint with a
   * fresh {@code state} and a PKCE {@code S256} challenge of a fresh code verifier.
   */
  public AuthorizationRequest authorizationUrl(String redirectUri) {
    SignInConfig sign = signInConfig();
    String verifier = randomToken(32);
    String state = randomToken(16);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", sign.clientId());
    query.put("redirect_uri", redirectUri);
    query.put("scope", scope(sign));
    query.put("state", state);
    query.put("code_challenge", codeChallenge(verifier));
    query.put("code_challenge_method", "S256");
    String endpoint = sign.authorizationEndpoint();
    URI url = URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(query));
    return new AuthorizationRequest(url, state, verifier);
  }

  /** Signs in with the {@code code} the redirect brought back to {@code redirectUri}. */
  public Session exchangeCode(String code, String redirectUri, String codeVerifier) {
    SignInConfig sign = signInConfig();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("client_id", sign.clientId());
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("code_verifier", codeVerifier);
    return signedIn(tokens(sign, form, "invalid_code", code, codeVerifier));
  }

  /**
   * New tokens for the signed-in user's refresh token.
   *
   * @throws PlinthException {@code not_signed_in}, or {@code session_expired} when the identity
   *     provider no longer accepts the refresh token (then nobody is signed in any more)
   */
  public Session refresh() {
    synchronized (lock) {
      Session current = session;
      if (current == null) {
        throw new PlinthException(401, "not_signed_in", "nobody is signed in", null, List.of());
      }
      return refresh(current);
    }
  }

  private Session refresh(Session current) {
    SignInConfig sign = signInConfig();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("client_id", sign.clientId());
    form.put("refresh_token", current.refreshToken());
    try {
      return signedIn(tokens(sign, form, "session_expired", current.refreshToken()));
    } catch (PlinthException e) {
      if ("session_expired".equals(e.code())) {
        change(null);
      }
      throw e;
    }
  }

  /**
   * Signs out: ends the user's session at the identity provider (its refresh token stops working)
   * and stops sending the user's token. The client forgets the session even if the identity
   * provider cannot be reached (then this throws).
   */
  public void signOut() {
    Session ending;
    synchronized (lock) {
      ending = session;
      change(null);
    }
    if (ending == null || ending.refreshToken() == null) {
      return;
    }
    SignInConfig sign = signInConfig();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", sign.clientId());
    form.put("refresh_token", ending.refreshToken());
    HttpResponse<String> response = post(sign.endSessionEndpoint(), form);
    if (response.statusCode() >= 400) {
      throw oauthError(response, "sign_out_failed", ending.refreshToken());
    }
  }

  /** The signed-in user's session, if any. */
  public Optional<Session> session() {
    return Optional.ofNullable(session);
  }

  /**
   * Continues a session kept from before (say, in the app's storage, from {@link #onChange}); it is
   * refreshed when its access token is about to expire.
   */
  public void useSession(Session kept) {
    synchronized (lock) {
      change(Objects.requireNonNull(kept, "session"));
    }
  }

  /**
   * Calls {@code listener} with the new session after each sign-in and refresh, and with empty
   * after sign-out or an expired session; answers what stops it.
   */
  public Runnable onChange(Consumer<Optional<Session>> listener) {
    listeners.add(Objects.requireNonNull(listener));
    return () -> listeners.remove(listener);
  }

  /** How long before the access token expires it is refreshed (30 s by default). */
  public Auth refreshMargin(Duration margin) {
    if (margin.isNegative()) {
      throw new IllegalArgumentException("the refresh margin cannot be negative");
    }
    this.refreshMargin = margin;
    return this;
  }

  /**
   * The access token for a call about to be sent, refreshed first when it expires within the
   * margin; null when nobody is signed in. When the identity provider cannot be reached and the
   * token is still valid, the call goes with it (the next call tries again).
   */
  String accessTokenForCall() {
    Session current = session;
    if (current == null
        || current.refreshToken() == null
        || !current.expiresWithin(refreshMargin)) {
      return current == null ? null : current.accessToken();
    }
    synchronized (lock) {
      current = session;
      if (current == null || !current.expiresWithin(refreshMargin)) {
        return current == null ? null : current.accessToken();
      }
      try {
        return refresh(current).accessToken();
      } catch (UncheckedIOException unreachable) {
        if (!current.expiresWithin(Duration.ZERO)) {
          return current.accessToken();
        }
        throw unreachable;
      }
    }
  }

  private Session signedIn(Session fresh) {
    synchronized (lock) {
      change(fresh);
    }
    return fresh;
  }

  private void change(Session next) {
    session = next;
    for (Consumer<Optional<Session>> listener : listeners) {
      listener.accept(Optional.ofNullable(next));
    }
  }

  /** Posts a token request; {@code refusedCode} is the code of an {@code invalid_grant}. */
  private Session tokens(
      SignInConfig sign, Map<String, String> form, String refusedCode, String... secrets) {
    HttpResponse<String> response = post(sign.tokenEndpoint(), form);
    if (response.statusCode() != 200) {
      throw oauthError(response, refusedCode, secrets);
    }
    JsonNode body = readJson(response.body());
    String accessToken = body.path("access_token").asText(null);
    if (accessToken == null) {
      throw new PlinthException(
          502,
          "invalid_token_response",
          "the identity provider sent no access token",
          null,
          List.of());
    }
    JsonNode claims = claims(accessToken);
    Instant expiresAt =
        body.hasNonNull("expires_in")
            ? Instant.now().plusSeconds(body.get("expires_in").asLong())
            : Instant.ofEpochSecond(claims.path("exp").asLong());
    return new Session(
        accessToken,
        body.path("refresh_token").asText(null),
        expiresAt,
        new Session.User(
            claims.path("sub").asText(null),
            claims.path("preferred_username").asText(null),
            claims.path("email").asText(null)));
  }

  /**
   * The identity provider's OAuth error as a {@link PlinthException}: {@code invalid_grant} (wrong
   * credentials, a used code, an ended session) becomes {@code refusedCode} with status 401; other
   * errors keep their OAuth code. What was sent in secret never appears in the message.
   */
  private PlinthException oauthError(
      HttpResponse<String> response, String refusedCode, String... secrets) {
    JsonNode body = readJsonQuietly(response.body());
    String error = body.path("error").asText(null);
    String description = body.path("error_description").asText(null);
    if (description != null) {
      for (String secret : secrets) {
        if (secret != null && !secret.isEmpty()) {
          description = description.replace(secret, "[redacted]");
        }
      }
    }
    boolean refused =
        "invalid_grant".equals(error) || error == null && response.statusCode() == 401;
    String code = refused ? refusedCode : error != null ? error : "http_" + response.statusCode();
    return new PlinthException(
        refused ? 401 : response.statusCode(),
        code,
        description == null ? "the identity provider refused the request" : description,
        null,
        List.of());
  }

  private HttpResponse<String> post(String endpoint, Map<String, String> form) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(client.timeout())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form(form)))
            .build();
    try {
      return client.http().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // The exception names the endpoint, never the form.
      throw new UncheckedIOException("the identity provider did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the identity provider", e);
    }
  }

  private static String scope(SignInConfig sign) {
    // In organization mode the token must name the organization, which this scope adds.
    return sign.organization() != null ? "openid organization" : "openid";
  }

  /** The PKCE S256 challenge of a verifier: base64url, no padding, of its SHA-256. */
  static String codeChallenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String randomToken(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            field ->
                URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** A JWT's claims, read without verifying it: the platform verifies, the client only shows. */
  private JsonNode claims(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length < 2) {
      return client.json.createObjectNode();
    }
    try {
      return readJsonQuietly(
          new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notBase64) {
      return client.json.createObjectNode();
    }
  }

  private JsonNode readJson(String text) {
    try {
      return client.json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new PlinthException(
          502,
          "invalid_token_response",
          "the identity provider's answer is not JSON",
          null,
          List.of());
    }
  }

  private JsonNode readJsonQuietly(String text) {
    try {
      JsonNode node = text == null || text.isBlank() ? null : client.json.readTree(text);
      return node == null || !node.isObject() ? client.json.createObjectNode() : node;
    } catch (JsonProcessingException e) {
      return client.json.createObjectNode();
    }
  }
}
