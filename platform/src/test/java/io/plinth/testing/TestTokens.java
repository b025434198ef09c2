package io.plinth.testing;

import io.plinth.platform.identity.JwtVerifier;
import io.plinth.platform.identity.SigningKeys;
import io.plinth.platform.identity.TokenExpectation;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A test identity provider: an RSA key that signs end-user access tokens shaped like Keycloak's,
 * for issuers {@code <base>/realms/plinth-<slug>} and audience {@value #AUDIENCE}.
 *
 * <p>{@link #served()} also publishes each issuer's discovery document and key set over HTTP on
 * loopback, as Keycloak does, so the platform's real key fetching ({@code IssuerKeys}) can trust
 * it; the server can be taken down and the key rotated. {@link #TestTokens()} serves nothing and
 * names issuers under {@code https://identity.test}, for unit tests with {@link #verifier}.
 */
public final class TestTokens implements AutoCloseable {

  public static final String AUDIENCE = "plinth-api";

  private static final String DISCOVERY = "/.well-known/openid-configuration";
  private static final String CERTS = "/protocol/openid-connect/certs";

  /** A signing key and its id. */
  private record Signer(String keyId, KeyPair keys) {}

  private final AtomicInteger generation = new AtomicInteger();
  private volatile Signer signer = newSigner();
  private volatile String base = "https://identity.test";
  private Vertx vertx;
  private final AtomicInteger keySetRequests = new AtomicInteger();
  private final AtomicInteger discoveryRequests = new AtomicInteger();
  private volatile boolean down;

  /** Signs tokens, publishes nothing. */
  public TestTokens() {}

  /** Signs tokens and publishes every issuer's discovery document and key set on loopback. */
  public static TestTokens served() {
    TestTokens tokens = new TestTokens();
    tokens.vertx = Vertx.vertx();
    try {
      HttpServer server =
          tokens
              .vertx
              .createHttpServer()
              .requestHandler(tokens::answer)
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      tokens.base = "http://127.0.0.1:" + server.actualPort();
      return tokens;
    } catch (Exception e) {
      tokens.close();
      throw new IllegalStateException("the test issuer did not start", e);
    }
  }

  private void answer(HttpServerRequest request) {
    String path = request.path();
    if (down) {
      request.response().setStatusCode(503).end();
    } else if (path.endsWith(DISCOVERY)) {
      discoveryRequests.incrementAndGet();
      String issuer = base + path.substring(0, path.length() - DISCOVERY.length());
      json(
          request,
          new JsonObject()
              .put("issuer", issuer)
              .put("jwks_uri", issuer + CERTS)
              .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256")));
    } else if (path.endsWith(CERTS)) {
      keySetRequests.incrementAndGet();
      json(request, jwks());
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** The issuer of a tenant's realm. */
  public String issuer(String tenantSlug) {
    return base + "/realms/plinth-" + tenantSlug;
  }

  /** What the data plane expects of the tenant's tokens (its registry row names the same). */
  public TokenExpectation expectation(String tenantSlug) {
    return new TokenExpectation(issuer(tenantSlug), AUDIENCE);
  }

  /** A verifier that trusts the current key for the issuers of the tenants named. */
  public JwtVerifier verifier(String... tenantSlugs) {
    Map<String, Map<String, PublicKey>> byIssuer = new HashMap<>();
    for (String slug : tenantSlugs) {
      byIssuer.put(issuer(slug), Map.of(keyId(), verifierKey()));
    }
    return new JwtVerifier(
        SigningKeys.fixed(byIssuer), Clock.systemUTC(), JwtVerifier.DEFAULT_SKEW);
  }

  /** The id of the key that signs now. */
  public String keyId() {
    return signer.keyId();
  }

  /** The public key tokens are signed with now. */
  public PublicKey verifierKey() {
    return signer.keys().getPublic();
  }

  /**
   * A new signing key with a new id replaces the current one, in the published set too, as when an
   * issuer rotates and drops the old key.
   */
  public void rotate() {
    signer = newSigner();
  }

  /** While down, the server answers 503 to everything, as an issuer behind a proxy that lost it. */
  public void down(boolean down) {
    this.down = down;
  }

  /** Key sets served so far (each fetch of an issuer's keys asks for one). */
  public int keySetRequests() {
    return keySetRequests.get();
  }

  /** Discovery documents served so far. */
  public int discoveryRequests() {
    return discoveryRequests.get();
  }

  /** The current public key as a JWKS, as an issuer publishes it. */
  public JsonObject jwks() {
    RSAPublicKey key = (RSAPublicKey) verifierKey();
    return new JsonObject()
        .put(
            "keys",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("kid", keyId())
                        .put("kty", "RSA")
                        .put("use", "sig")
                        .put("alg", "RS256")
                        .put("n", base64(unsigned(key.getModulus().toByteArray())))
                        .put("e", base64(unsigned(key.getPublicExponent().toByteArray())))));
  }

  /** A valid access token of the tenant's end user {@code subject}, for five minutes. */
  public String token(String tenantSlug, String subject) {
    return token(tenantSlug, subject, claims -> {});
  }

  /** A token whose claims a test changes, e.g. to make it expired or for another audience. */
  public String token(String tenantSlug, String subject, Consumer<JsonObject> change) {
    long now = Instant.now().getEpochSecond();
    JsonObject claims =
        new JsonObject()
            .put("iss", issuer(tenantSlug))
            .put("aud", AUDIENCE)
            .put("sub", subject)
            .put("typ", "Bearer")
            .put("iat", now)
            .put("exp", now + 300);
    change.accept(claims);
    return sign(header("RS256"), claims, signer.keys().getPrivate());
  }

  /** A JWS header naming the current key. */
  public JsonObject header(String algorithm) {
    return new JsonObject().put("alg", algorithm).put("typ", "JWT").put("kid", keyId());
  }

  /** Signs with RS256 and any private key (e.g. one the verifier does not trust). */
  public static String sign(JsonObject header, JsonObject claims, PrivateKey key) {
    String input = encode(header) + "." + encode(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + base64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The unsigned compact form {@code header.claims.} (as in an {@code alg: none} token). */
  public static String unsigned(JsonObject header, JsonObject claims) {
    return encode(header) + "." + encode(claims) + ".";
  }

  public static String encode(JsonObject json) {
    return base64(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private Signer newSigner() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new Signer("test-key-" + generation.incrementAndGet(), generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unsigned(byte[] twosComplement) {
    return twosComplement.length > 1 && twosComplement[0] == 0
        ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length)
        : twosComplement;
  }

  @Override
  public void close() {
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the JVM ends with the tests
      }
    }
  }
}
