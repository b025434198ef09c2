package io.plinth.tenantapi.limits;

import java.util.function.LongSupplier;

/**
 * A tenant's allowance of busy time on this node: how much database time its requests may use, per
 * second (ADRs 0012, 0013). It refills continuously at {@code perSecond} up to one second's worth;
 * a finished request takes what it used, and may leave the balance below zero (down to two seconds'
 * worth), so a tenant whose requests are costly waits until it has paid.
 *
 * <p>A running request holds what the tenant's requests have been costing (a moving average of the
 * database time of those that used it) against the balance until it finishes. Charged only
 * afterwards, a full balance would let as many costly requests start at once as the bulkhead has
 * permits: a burst of eight table scans that takes every core of a small node for tens of
 * milliseconds, and other tenants wait for them (bench/RESULTS.md). Held up front, a full balance
 * starts about as many as it can pay for. Not thread-safe: the bulkhead's lane guards it.
 */
final class BusyBudget {

  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier clock;
  private long perSecond; // nanoseconds of busy time per second
  private long balance;
  private long refilledAt;
  private long held; // what running requests are expected to cost
  private long perRequest; // moving average of busy time per request that used the database

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

  /** Whether a request may start now: some allowance is left beyond what running ones hold. */
  boolean available() {
    refill();
    return balance - held > 0;
  }

  /**
   * A request starts: what the tenant's requests have been costing is held against the balance
   * until it finishes. Returns the amount held, to give back to {@link #spend(long, long)}.
   */
  long start() {
    held += perRequest;
    return perRequest;
  }

  /** A finished request used {@code nanos} of database time, and gives back what its start held. */
  void spend(long nanos, long heldAtStart) {
    refill();
    held = Math.max(0, held - heldAtStart); // a plan change may have replaced the budget since
    balance = Math.max(balance - nanos, -2 * perSecond);
    // Requests that used no database time (served from a cache, or given up while waiting) say
    // nothing of what the next one will cost. A quarter's weight: a tenant whose requests turn
    // costly is held back within a few.
    if (nanos > 0) {
      perRequest = perRequest == 0 ? nanos : perRequest + (nanos - perRequest) / 4;
    }
  }

  /**
   * How long until a request may start, in nanoseconds: 0 when one may start now, {@link
   * Long#MAX_VALUE} when only a running request's end can let one start (they hold more than a
   * second's worth).
   */
  long nanosUntilAvailable() {
    refill();
    long missing = held - balance;
    if (missing < 0) {
      return 0;
    }
    if (held >= perSecond) {
      return Long.MAX_VALUE;
    }
    return Math.floorDiv(missing * SECOND, perSecond) + 1;
  }

  /**
   * Whether less than half the allowance is left: the tenant is near its bound, and its requests
   * should start one at a time rather than in a burst when the allowance comes back.
   */
  boolean low() {
    refill();
    return balance < perSecond / 2;
  }

  /**
   * Whether forgetting this budget changes nothing: the allowance is whole again and nothing has
   * been learnt of what the tenant's requests cost. A budget that knows its tenant's requests are
   * costly is kept, or the tenant's next burst would start with nothing held against it.
   */
  boolean forgettable() {
    return full() && perRequest == 0;
  }

  /** Whether the allowance is whole again. */
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
