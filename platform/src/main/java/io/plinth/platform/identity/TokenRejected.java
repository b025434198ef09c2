package io.plinth.platform.identity;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;

/**
 * The one answer to a token that does not verify: 401 {@code invalid_user_token}, with the reason
 * (one of the constants here) kept for metrics, where a burst of one kind says what is going on: a
 * wrong issuer or audience is a misconfigured app or a token meant elsewhere, a refused algorithm
 * is someone trying {@code none} or a symmetric key.
 */
public final class TokenRejected {

  /** Not a well-formed signed JWT (too long, bad parts, critical extensions, no key id). */
  public static final String MALFORMED = "token_malformed";

  /** An algorithm outside the accepted RS/ES ones, or one that does not fit the key. */
  public static final String ALGORITHM = "token_algorithm";

  public static final String ISSUER = "token_issuer";
  public static final String AUDIENCE = "token_audience";

  /** Signed with a key the issuer does not publish, or the signature does not verify. */
  public static final String SIGNATURE = "token_signature";

  public static final String EXPIRED = "token_expired";

  /** Any other claim: not an access token, not valid yet, no subject, wrong organization. */
  public static final String CLAIMS = "token_claims";

  /** The tenant (or platform) has no end-user sign-in. */
  public static final String NO_SIGN_IN = "token_no_sign_in";

  private TokenRejected() {}

  static ProblemException because(String reason, String detail) {
    return new ProblemException(
        new Problem(401, "invalid_user_token", "the user token is not valid: " + detail), reason);
  }
}
