package io.plinth.provisioning.identity;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retrying while Keycloak is away: delays of 1 s, doubling, up to a maximum, on Vert.x timers. Only
 * {@link IdentityUnavailable} is retried; any other failure (a refusal) ends the retries.
 */
public final class Backoff {

  public static final Duration FIRST = Duration.ofSeconds(1);

  private Backoff() {}

  /** Told of each failure that is retried, before the wait. */
  @FunctionalInterface
  public interface OnRetry {
    void retrying(Throwable failure, Duration delay);
  }

  /** The delay before retry number {@code attempt} (0 for the first retry). */
  public static Duration delay(int attempt, Duration max) {
    if (attempt >= 30) {
      return max;
    }
    Duration delay = FIRST.multipliedBy(1L << attempt);
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /**
   * Runs {@code attempt} until it succeeds or fails with anything but Keycloak being unavailable,
   * waiting {@link #delay} between attempts. Completes with the first success or fails with the
   * first refusal; while Keycloak stays away it does not complete.
   */
  public static <T> Future<T> retry(
      Vertx vertx, Duration max, Supplier<Future<T>> attempt, OnRetry onRetry) {
    Promise<T> result = Promise.promise();
    run(vertx, max, attempt, onRetry, 0, result);
    return result.future();
  }

  // One promise for all attempts rather than a chain of composed futures: an outage of hours
  // would otherwise nest a future per attempt, all completed at once in one deep stack.
  private static <T> void run(
      Vertx vertx,
      Duration max,
      Supplier<Future<T>> attempt,
      OnRetry onRetry,
      int retries,
      Promise<T> result) {
    attempt
        .get()
        .onSuccess(result::complete)
        .onFailure(
            failure -> {
              if (!IdentityUnavailable.isCause(failure)) {
                result.fail(failure);
                return;
              }
              Duration delay = delay(retries, max);
              onRetry.retrying(failure, delay);
              vertx.setTimer(
                  delay.toMillis(), id -> run(vertx, max, attempt, onRetry, retries + 1, result));
            });
  }
}
