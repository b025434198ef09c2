package io.plinth.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link Subscription} starts, reconnects and reports its end. Immutable: each method answers
 * a changed copy.
 */
public final class SubscribeOptions {

  /** Reconnects without end, after up to 0.5 s, 1 s, 2 s ... 30 s (full jitter). */
  public static final RetryPolicy RECONNECT_FOREVER =
      new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(500), Duration.ofSeconds(30));

  /** Three heartbeats of the platform (one every 15 s) missed in a row. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(45);

  private final String lastEventId;
  private final Consumer<Throwable> onError;
  private final Duration readTimeout;
  private final RetryPolicy reconnect;

  private SubscribeOptions(
      String lastEventId,
      Consumer<Throwable> onError,
      Duration readTimeout,
      RetryPolicy reconnect) {
    this.lastEventId = lastEventId;
    this.onError = onError;
    this.readTimeout = readTimeout;
    this.reconnect = reconnect;
  }

  /** From now on, no error callback, the default read timeout, reconnecting forever. */
  public static SubscribeOptions defaults() {
    return new SubscribeOptions(null, error -> {}, DEFAULT_READ_TIMEOUT, RECONNECT_FOREVER);
  }

  /**
   * Starts right after this event (a {@link Change#eventId()} or {@link Subscription#lastEventId()}
   * kept from an earlier subscription) instead of now.
   */
  public SubscribeOptions lastEventId(String eventId) {
    return new SubscribeOptions(eventId, onError, readTimeout, reconnect);
  }

  /**
   * Called once when the subscription ends by itself: with a {@link PlinthException} when the
   * platform refuses it (401, 403, 404, or 410 {@code change_history_expired} when the changes
   * after {@link #lastEventId} were pruned), or with what {@code onChange} threw.
   */
  public SubscribeOptions onError(Consumer<Throwable> callback) {
    return new SubscribeOptions(
        lastEventId, Objects.requireNonNull(callback), readTimeout, reconnect);
  }

  /**
   * How long a connection may stay silent before it is given up and made again; keep it longer than
   * the platform's heartbeat interval (15 s).
   */
  public SubscribeOptions readTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the read timeout must be positive");
    }
    return new SubscribeOptions(lastEventId, onError, timeout, reconnect);
  }

  /**
   * The backoff between reconnections ({@link RetryPolicy#delay}); its {@code maxAttempts} is how
   * many failed connections in a row end the subscription.
   */
  public SubscribeOptions reconnect(RetryPolicy policy) {
    return new SubscribeOptions(lastEventId, onError, readTimeout, Objects.requireNonNull(policy));
  }

  String lastEventId() {
    return lastEventId;
  }

  Consumer<Throwable> onError() {
    return onError;
  }

  Duration readTimeout() {
    return readTimeout;
  }

  RetryPolicy reconnect() {
    return reconnect;
  }
}
