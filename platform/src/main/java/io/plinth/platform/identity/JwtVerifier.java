package io.plinth.platform.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Verifies signed JWT access tokens offline (RFC 7519, RFC 7515 compact form): an allow-list of
 * asymmetric algorithms whose key type must match the key found by {@code kid}, the signature, then
 * {@code iss} exactly the expected one, the audience, the token type, {@code exp} and {@code nbf}
 * with a bounded clock skew, a subject, and the organization when one is expected. Anything else is
 * refused with 401 {@code invalid_user_token}; the reason given never echoes the token. Keys come
 * from {@link SigningKeys} ({@link IssuerKeys} in production: cached, so the issuer is not on the
 * request path).
 */
public final class JwtVerifier implements TokenVerifier {

  /** Longer than any sane access token; bounds the work an attacker can ask for. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  /**
   * JWS algorithm → JCA signature. Asymmetric only: {@code none} and HMAC (which would let anyone
   * holding the public key mint tokens) are never accepted.
   */
  private static final Map<String, String> ALGORITHMS =
      Map.of(
          "RS256", "SHA256withRSA",
          "RS384", "SHA384withRSA",
          "RS512", "SHA512withRSA",
          "ES256", "SHA256withECDSAinP1363Format",
          "ES384", "SHA384withECDSAinP1363Format");

  private final SigningKeys keys;
  private final Clock clock;
  private final Duration skew;

  /** The skew allowed between the issuer's clock and ours on {@code exp} and {@code nbf}. */
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);

  public JwtVerifier(SigningKeys keys, Clock clock, Duration skew) {
    this.keys = keys;
    this.clock = clock;
    this.skew = skew;
  }

  @Override
  public Future<EndUser> verify(TokenExpectation expected, String token) {
    Jws jws;
    try {
      jws = Jws.parse(token);
    } catch (Unparsable e) {
      return Future.failedFuture(TokenRejected.because(e.reason, e.getMessage()));
    }
    // The issuer is checked before any key lookup: a token for another tenant costs nothing.
    if (!expected.issuer().equals(jws.claims().getValue("iss"))) {
      return Future.failedFuture(
          TokenRejected.because(TokenRejected.ISSUER, "it was not issued for this tenant"));
    }
    return keys.find(expected.issuer(), jws.keyId())
        .map(
            key -> {
              if (key.isEmpty()) {
                throw TokenRejected.because(
                    TokenRejected.SIGNATURE, "it is signed with an unknown key");
              }
              checkSignature(jws, key.get());
              return checkClaims(jws.claims(), expected);
            });
  }

  private static void checkSignature(Jws jws, PublicKey key) {
    boolean rsa = jws.algorithm().startsWith("RS");
    if (rsa ? !(key instanceof RSAPublicKey) : !(key instanceof ECPublicKey)) {
      throw TokenRejected.because(
          TokenRejected.ALGORITHM, "its algorithm does not match the signing key");
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHMS.get(jws.algorithm()));
      signature.initVerify(key);
      signature.update(jws.signingInput());
      if (!signature.verify(jws.signature())) {
        throw TokenRejected.because(TokenRejected.SIGNATURE, "its signature does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw TokenRejected.because(TokenRejected.SIGNATURE, "its signature does not verify");
    }
  }

  private EndUser checkClaims(JsonObject claims, TokenExpectation expected) {
    if (!hasAudience(claims.getValue("aud"), expected.audience())) {
      throw TokenRejected.because(TokenRejected.AUDIENCE, "it is not meant for this API");
    }
    // Access tokens only: Keycloak marks them typ Bearer; ID and refresh tokens are refused.
    Object type = claims.getValue("typ");
    if (type != null && !"Bearer".equalsIgnoreCase(String.valueOf(type))) {
      throw TokenRejected.because(TokenRejected.CLAIMS, "it is not an access token");
    }
    long now = clock.instant().getEpochSecond();
    Long expiresAt = seconds(claims, "exp");
    if (expiresAt == null) {
      throw TokenRejected.because(TokenRejected.CLAIMS, "it has no expiry");
    }
    if (now > expiresAt + skew.toSeconds()) {
      throw TokenRejected.because(TokenRejected.EXPIRED, "it has expired");
    }
    Long notBefore = seconds(claims, "nbf");
    if (notBefore != null && now < notBefore - skew.toSeconds()) {
      throw TokenRejected.because(TokenRejected.CLAIMS, "it is not valid yet");
    }
    if (!(claims.getValue("sub") instanceof String subject) || subject.isEmpty()) {
      throw TokenRejected.because(TokenRejected.CLAIMS, "it names no subject");
    }
    if (expected.organization() != null
        && !namesOrganization(claims.getValue("organization"), expected.organization())) {
      throw TokenRejected.because(TokenRejected.CLAIMS, "it is not a member of this organization");
    }
    return new EndUser(subject, expected.issuer(), claims);
  }

  /**
   * Keycloak's organization mapper writes the user's organizations as a list of aliases, or, with
   * their attributes or ids, as an object keyed by alias; a single one may come as a string.
   */
  private static boolean namesOrganization(Object claim, String alias) {
    if (claim instanceof String one) {
      return one.equals(alias);
    }
    if (claim instanceof JsonArray many) {
      return many.contains(alias);
    }
    return claim instanceof JsonObject byAlias && byAlias.containsKey(alias);
  }

  private static boolean hasAudience(Object aud, String audience) {
    if (aud instanceof String one) {
      return one.equals(audience);
    }
    return aud instanceof JsonArray many && many.contains(audience);
  }

  private static Long seconds(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)) {
      throw TokenRejected.because(TokenRejected.CLAIMS, name + " is not a number");
    }
    return number.longValue();
  }

  /** A token that cannot even be read as a JWS, and why (a {@link TokenRejected} reason). */
  private static final class Unparsable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Unparsable(String reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  /** A token in JWS compact form, split and decoded but not yet trusted. */
  private record Jws(
      String algorithm, String keyId, JsonObject claims, byte[] signingInput, byte[] signature) {

    static Jws parse(String token) {
      if (token.length() > MAX_TOKEN_LENGTH) {
        throw new Unparsable(TokenRejected.MALFORMED, "it is too long");
      }
      int first = token.indexOf('.');
      int second = first < 0 ? -1 : token.indexOf('.', first + 1);
      if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
        throw new Unparsable(TokenRejected.MALFORMED, "it is not a signed JWT");
      }
      JsonObject header = json(token.substring(0, first));
      JsonObject claims = json(token.substring(first + 1, second));
      Object algorithm = header.getValue("alg");
      if (!(algorithm instanceof String alg) || !ALGORITHMS.containsKey(alg)) {
        throw new Unparsable(TokenRejected.ALGORITHM, "its algorithm is not accepted");
      }
      if (header.containsKey("crit")) {
        throw new Unparsable(TokenRejected.MALFORMED, "it has critical extensions");
      }
      if (!(header.getValue("kid") instanceof String kid)) {
        throw new Unparsable(TokenRejected.MALFORMED, "it names no signing key");
      }
      byte[] signature = bytes(token.substring(second + 1));
      byte[] signingInput = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
      return new Jws(alg, kid, claims, signingInput, signature);
    }

    private static JsonObject json(String part) {
      try {
        return new JsonObject(new String(bytes(part), StandardCharsets.UTF_8));
      } catch (RuntimeException e) { // DecodeException, or JSON that is not an object
        throw new Unparsable(TokenRejected.MALFORMED, "it is not a signed JWT");
      }
    }

    private static byte[] bytes(String part) {
      try {
        return Base64.getUrlDecoder().decode(part);
      } catch (IllegalArgumentException e) {
        throw new Unparsable(TokenRejected.MALFORMED, "it is not a signed JWT");
      }
    }
  }
}
