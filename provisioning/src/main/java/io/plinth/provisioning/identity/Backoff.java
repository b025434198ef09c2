package io.plinth.provisioning.identity;

import java.time.Duration;

/** Delays between retries while Keycloak is away: 1 s, doubling, up to a maximum. */
public final class Backoff {

  public static final Duration FIRST = Duration.ofSeconds(1);

  private Backoff() {}

  /** The delay before retry number {@code attempt} (0 for the first retry). */
  public static Duration delay(int attempt, Duration max) {
    if (attempt >= 30) {
      return max;
    }
    Duration delay = FIRST.multipliedBy(1L << attempt);
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
