package io.plinth.tenantapi.records;

import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.plinth.tenantapi.collections.Rule;
import java.util.Optional;

/**
 * Applies a collection's rule to a caller. A secret key passes every rule; a publishable key passes
 * {@code public}; {@code authenticated} and {@code owner} need an end user's token (the identity
 * issue plugs token verification in; until then they are refused with 401); {@code secret} needs a
 * secret key.
 */
final class Access {

  private Access() {}

  /**
   * Checks the rule and returns the owner that rows must belong to (for {@code owner}), or empty
   * when every row of the collection is open to this caller.
   *
   * @throws ProblemException 401 or 403 when the caller may not
   */
  static Optional<String> check(Rule rule, Caller caller) {
    if (caller.isSecret()) {
      return Optional.empty();
    }
    return switch (rule) {
      case PUBLIC -> Optional.empty();
      case AUTHENTICATED, OWNER ->
          throw new ProblemException(
              401, "user_token_required", "this collection needs a signed-in user's token");
      case SECRET ->
          throw new ProblemException(
              403, "secret_key_required", "this collection needs a secret key");
    };
  }
}
