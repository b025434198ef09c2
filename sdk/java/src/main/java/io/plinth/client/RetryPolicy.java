package io.plinth.client;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to send a request again: on 429 and 503 only, for requests that are safe to repeat, after
 * the server's {@code Retry-After} or else an exponential delay with full jitter (so many clients
 * refused at once do not come back at once).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

  private static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(10));

  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /**
   * Whether an answer with {@code status} to attempt number {@code attempt} (1 for the first) is
   * sent again. PATCH and POST change data, so a repeat is safe only when the server can tell it is
   * one: a POST with an {@code Idempotency-Key}.
   */
  public boolean shouldRetry(String method, boolean hasIdempotencyKey, int status, int attempt) {
    if (attempt >= maxAttempts || (status != 429 && status != 503)) {
      return false;
    }
    return IDEMPOTENT_METHODS.contains(method) || ("POST".equals(method) && hasIdempotencyKey);
  }

  /**
   * How long to wait before attempt {@code attempt + 1}: what {@code Retry-After} asks, capped at
   * {@link #maxDelay}, or a random delay up to {@code baseDelay * 2^(attempt-1)}.
   */
  public Duration delay(int attempt, Optional<String> retryAfter) {
    Optional<Duration> asked = retryAfter.flatMap(RetryPolicy::parseRetryAfter);
    if (asked.isPresent()) {
      return min(asked.get(), maxDelay);
    }
    long ceiling =
        min(baseDelay.multipliedBy(1L << Math.min(attempt - 1, 20)), maxDelay).toMillis();
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  /** Delay-seconds or an HTTP-date, as RFC 9110 allows both. */
  static Optional<Duration> parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
