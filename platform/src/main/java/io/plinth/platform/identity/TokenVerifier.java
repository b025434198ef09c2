package io.plinth.platform.identity;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.Future;

/**
 * Verifies an end user's token for one tenant. The data plane depends on this and nothing else, so
 * how tokens are issued (a Keycloak realm, an organization, an external issuer) stays behind it.
 */
public interface TokenVerifier {

  /**
   * The user the token names, or a failed future with a 401 {@link ProblemException} ({@code
   * invalid_user_token}) when the token is not valid for this tenant.
   */
  Future<EndUser> verify(String tenantSlug, String token);

  /** Where end-user sign-in is not set up: every token is refused, so nothing is let through. */
  TokenVerifier NOT_CONFIGURED =
      (tenantSlug, token) ->
          Future.failedFuture(
              TokenRejected.because("end-user sign-in is not configured on this installation"));
}
