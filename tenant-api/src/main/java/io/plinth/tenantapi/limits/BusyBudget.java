package io.plinth.tenantapi.limits;

import java.util.function.LongSupplier;

/**
 * A tenant's allowance of busy time on this node: how much database time its requests may use, per
 * second (ADRs 0012, 0013). It refills continuously at {@code perSecond} up to one second's worth;
 * a finished request takes what it used, and may leave the balance below zero (down to two seconds'
 * worth), so a tenant whose requests are costly waits until it has paid. Not thread-safe: the
 * bulkhead's lane guards it.
 */
final class BusyBudget {

  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier clock;
  private long perSecond; // nanoseconds of busy time per second
  private long balance;
  private long refilledAt;

  /**
   * @param perSecondNanos busy time allowed per second, in nanoseconds; more than zero
   * @param clock {@link System#nanoTime} or a test's
   */
  BusyBudget(long perSecondNanos, LongSupplier clock) {
    this.clock = clock;
    this.perSecond = perSecondNanos;
    this.balance = perSecondNanos;
    this.refilledAt = clock.getAsLong();
  }

  /** A plan change takes effect at once; what was spent stays spent. */
  void rate(long perSecondNanos) {
    refill();
    perSecond = perSecondNanos;
    balance = Math.min(balance, perSecond);
  }

  /** Whether a request may start now: some allowance is left. */
  boolean available() {
    refill();
    return balance > 0;
  }

  /** A finished request used this much database time. */
  void spend(long nanos) {
    refill();
    balance = Math.max(balance - nanos, -2 * perSecond);
  }

  /** How long until a request may start, in nanoseconds: 0 when one may start now. */
  long nanosUntilAvailable() {
    refill();
    return balance > 0 ? 0 : Math.floorDiv(-balance * SECOND, perSecond) + 1;
  }

  /**
   * Whether less than half the allowance is left: the tenant is near its bound, and its requests
   * should start one at a time rather than in a burst when the allowance comes back.
   */
  boolean low() {
    refill();
    return balance < perSecond / 2;
  }

  /** Whether the allowance is whole again, so forgetting it changes nothing. */
  boolean full() {
    refill();
    return balance >= perSecond;
  }

  private void refill() {
    long now = clock.getAsLong();
    long elapsed = now - refilledAt;
    if (elapsed <= 0) {
      return;
    }
    refilledAt = now;
    // elapsed * perSecond could overflow after a long idle time: the balance is whole by then.
    if (elapsed >= SECOND) {
      balance = perSecond;
      return;
    }
    balance = Math.min(perSecond, balance + elapsed * perSecond / SECOND);
  }
}
