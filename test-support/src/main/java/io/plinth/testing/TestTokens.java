package io.plinth.testing;

import io.plinth.platform.identity.JwtVerifier;
import io.plinth.platform.identity.SigningKeys;
import io.plinth.platform.identity.TokenExpectation;
import io.vertx.core.Future;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A test identity provider: an RSA key that signs end-user access tokens shaped like Keycloak's,
 * for issuers {@code https://identity.test/realms/plinth-<slug>} and audience {@value #AUDIENCE},
 * and a {@link JwtVerifier} that trusts exactly this key.
 */
public final class TestTokens {

  public static final String ISSUER_TEMPLATE = "https://identity.test/realms/plinth-{slug}";
  public static final String AUDIENCE = "plinth-api";
  public static final String KEY_ID = "test-key-1";

  private final KeyPair keys;

  public TestTokens() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String issuer(String tenantSlug) {
    return ISSUER_TEMPLATE.replace("{slug}", tenantSlug);
  }

  /** A verifier that trusts this key for the issuers of the tenants named. */
  public JwtVerifier verifier(String... tenantSlugs) {
    Map<String, Map<String, PublicKey>> byIssuer = new HashMap<>();
    for (String slug : tenantSlugs) {
      byIssuer.put(issuer(slug), Map.of(KEY_ID, keys.getPublic()));
    }
    return verifier(SigningKeys.fixed(byIssuer));
  }

  /** A verifier that trusts this key for every tenant's issuer. */
  public JwtVerifier verifierForAnyTenant() {
    return verifier(
        (issuer, kid) ->
            Future.succeededFuture(
                Optional.ofNullable(KEY_ID.equals(kid) ? keys.getPublic() : null)));
  }

  private static JwtVerifier verifier(SigningKeys signingKeys) {
    return new JwtVerifier(
        TokenExpectation.Source.template(ISSUER_TEMPLATE, AUDIENCE),
        signingKeys,
        Clock.systemUTC(),
        Duration.ofSeconds(30));
  }

  /** The public key the verifiers trust. */
  public PublicKey verifierKey() {
    return keys.getPublic();
  }

  /** The public key as a JWKS, as an issuer publishes it. */
  public JsonObject jwks() {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    return new JsonObject()
        .put(
            "keys",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("kid", KEY_ID)
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
    return sign(header("RS256"), claims, keys.getPrivate());
  }

  /** A JWS header naming this key. */
  public static JsonObject header(String algorithm) {
    return new JsonObject().put("alg", algorithm).put("typ", "JWT").put("kid", KEY_ID);
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

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unsigned(byte[] twosComplement) {
    return twosComplement.length > 1 && twosComplement[0] == 0
        ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length)
        : twosComplement;
  }
}
