package io.plinth.platform.identity;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.Future;

/**
 * Verifies an end user's (or operator's) access token against what the token must say. The data
 * plane depends on this and nothing else, so how tokens are issued (a Keycloak realm, an
 * organization, an external issuer) stays behind it.
 */
public interface TokenVerifier {

  /**
   * The user the token names, or a failed future with a 401 {@link ProblemException} ({@code
   * invalid_user_token}) when the token does not meet {@code expected}.
   */
  Future<EndUser> verify(TokenExpectation expected, String token);

  /** The answer to any token where no sign-in is set up (a tenant without identity): 401. */
  static Future<EndUser> noSignIn() {
    return Future.failedFuture(
        TokenRejected.because(TokenRejected.NO_SIGN_IN, "this tenant has no end-user sign-in"));
  }
}
