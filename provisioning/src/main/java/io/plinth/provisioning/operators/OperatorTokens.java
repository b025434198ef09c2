package io.plinth.provisioning.operators;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.identity.JwtVerifier;
import io.plinth.platform.identity.SigningKeys;
import io.plinth.platform.identity.TokenExpectation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Operators' access tokens from the platform realm, verified offline like end users' tokens ({@link
 * JwtVerifier}: signature by the realm's published keys, {@code iss} exactly the platform realm's,
 * {@code aud} containing {@code plinth-admin}, an access token, not expired), then the realm role
 * {@code platform-admin} required. Invalid: 401; valid without the role: 403.
 */
public final class OperatorTokens {

  /** Who a token names: {@code user:<preferred_username or sub>}. */
  public record Operator(String actor) {}

  private final JwtVerifier verifier;
  private final TokenExpectation expected;
  private final String role;

  public OperatorTokens(String issuer, String audience, String role, SigningKeys keys) {
    this.verifier = new JwtVerifier(keys, Clock.systemUTC(), JwtVerifier.DEFAULT_SKEW);
    this.expected = new TokenExpectation(issuer, audience);
    this.role = role;
  }

  /** Whether a bearer credential looks like a JWT (three base64url parts) rather than a key. */
  public static boolean looksLikeJwt(String credential) {
    return credential.startsWith("eyJ") && credential.chars().filter(c -> c == '.').count() == 2;
  }

  public Future<Operator> verify(String token) {
    return verifier
        .verify(expected, token)
        .transform(
            verified -> {
              if (verified.failed()) {
                return Future.failedFuture(
                    new ProblemException(401, "unauthorized", "the operator token is not valid"));
              }
              JsonObject claims = verified.result().claims();
              if (!hasRole(claims)) {
                return Future.failedFuture(
                    new ProblemException(
                        403,
                        "forbidden",
                        "the token is valid but lacks the role "
                            + role
                            + " of the platform realm"));
              }
              Object name = claims.getValue("preferred_username");
              return Future.succeededFuture(
                  new Operator(
                      "user:"
                          + (name instanceof String n && !n.isBlank()
                              ? n
                              : verified.result().subject())));
            });
  }

  private boolean hasRole(JsonObject claims) {
    return claims.getValue("realm_access") instanceof JsonObject access
        && access.getValue("roles") instanceof JsonArray roles
        && roles.contains(role);
  }
}
