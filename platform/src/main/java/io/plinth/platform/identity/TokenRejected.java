package io.plinth.platform.identity;

import io.plinth.platform.http.ProblemException;

/** The one answer to a token that does not verify: 401 {@code invalid_user_token}. */
final class TokenRejected {

  private TokenRejected() {}

  static ProblemException because(String reason) {
    return new ProblemException(
        401, "invalid_user_token", "the user token is not valid: " + reason);
  }
}
