package io.plinth.tenantapi.records;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.identity.EndUser;
import io.plinth.tenantapi.auth.Caller;
import io.plinth.tenantapi.collections.Rule;
import java.util.Optional;

/**
 * Applies a collection's rule to a caller. A secret key passes every rule; a publishable key passes
 * {@code public}; {@code authenticated} needs a signed-in end user; {@code owner} too, and then
 * limits the rows to that user's (the returned owner goes into every statement's WHERE); {@code
 * secret} needs a secret key.
 */
public final class Access {

  private Access() {}

  /**
   * Checks the rule and returns the owner that rows must belong to (for {@code owner}), or empty
   * when every row of the collection is open to this caller.
   *
   * @throws ProblemException 401 or 403 when the caller may not
   */
  public static Optional<String> check(Rule rule, Caller caller) {
    if (caller.isSecret()) {
      return Optional.empty();
    }
    return switch (rule) {
      case PUBLIC -> Optional.empty();
      case AUTHENTICATED -> {
        signedIn(caller);
        yield Optional.empty();
      }
      case OWNER -> Optional.of(signedIn(caller).subject());
      case SECRET ->
          throw new ProblemException(
              403, "secret_key_required", "this collection needs a secret key");
    };
  }

  private static EndUser signedIn(Caller caller) {
    return caller
        .user()
        .orElseThrow(
            () ->
                new ProblemException(
                    401, "user_token_required", "this collection needs a signed-in user's token"));
  }
}
