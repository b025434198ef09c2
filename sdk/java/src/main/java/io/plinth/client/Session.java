package io.plinth.client;

import java.time.Duration;
import java.time.Instant;

/**
 * A signed-in end user's tokens. {@link #toString()} leaves the tokens out, so a session can be
 * logged; keep the refresh token as secret as a password.
 *
 * @param accessToken sent as {@code Authorization: Bearer} with every call
 * @param refreshToken exchanged for new tokens by {@link Auth#refresh()}
 * @param expiresAt when the access token expires
 * @param user who signed in, read from the access token
 */
public record Session(String accessToken, String refreshToken, Instant expiresAt, User user) {

  /** The end user: {@code id} is the token's {@code sub}, which {@code owner} rules compare. */
  public record User(String id, String username, String email) {}

  /** Whether the access token expires within {@code margin} from now (or has expired). */
  public boolean expiresWithin(Duration margin) {
    return !Instant.now().plus(margin).isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "Session[user=" + user + ", expiresAt=" + expiresAt + "]";
  }
}
