package io.plinth.tenantapi.limits;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The node's ceiling on every tenant's busy-time allowance, lowered while the node is contended
 * (ADR 0013). Each {@value #WINDOW_MS} ms window in which an event-loop probe fired late halves it,
 * down to {@value #FLOOR_MS} ms a second; each window without raises it by {@value #STEP_MS} ms a
 * second, and past {@value #TOP_MS} ms a second there is no ceiling. A tenant's allowance is then
 * the lower of its plan's and the ceiling: the heaviest tenants, whose database time is above the
 * ceiling, are slowed until the event loops run on time again, and tenants that use little, below
 * the floor, never notice. Late windows count only while the node is shared: requests of two or
 * more tenants arrived within the last {@value #SHARED_FOR_MS} ms. A tenant alone on the node slows
 * nobody but itself, and keeps its plan's allowance. Thread-safe.
 */
public final class BusyCeiling {

  static final long WINDOW_MS = 100;
  static final long FLOOR_MS = 50;
  static final long STEP_MS = 25;
  static final long TOP_MS = 1_000;
  static final long SHARED_FOR_MS = 1_000;

  /** No ceiling: the plans' allowances apply as they are. */
  public static final long NONE = Long.MAX_VALUE;

  private static final long MILLI = 1_000_000L;
  private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);

  private final LongSupplier lateTimers;
  private final LongSupplier clock;
  private long ceiling = NONE; // nanoseconds of busy time per second
  private long windowStart;
  private long lateSeen;
  private volatile Object lastTenant; // whose request arrived last
  private volatile long lastSwitch; // when a request of another tenant than the last one arrived

  /**
   * @param lateTimers event-loop probe timers that fired late so far (a count that only grows)
   * @param clock {@link System#nanoTime} or a test's
   */
  public BusyCeiling(LongSupplier lateTimers, LongSupplier clock) {
    this.lateTimers = lateTimers;
    this.clock = clock;
    this.windowStart = clock.getAsLong();
    this.lateSeen = lateTimers.getAsLong();
    this.lastSwitch = windowStart - 2 * TimeUnit.MILLISECONDS.toNanos(SHARED_FOR_MS);
  }

  /**
   * A request of {@code tenant} arrives at this node (it may start or wait). On the hot path: a
   * volatile read and a comparison, and writes only when the tenant differs from the last one.
   */
  public void arrived(Object tenant) {
    Object last = lastTenant;
    if (!tenant.equals(last)) {
      lastTenant = tenant;
      if (last != null) {
        lastSwitch = clock.getAsLong(); // racing event loops may lose one: the next comes soon
      }
    }
  }

  /** A ceiling that never comes down: for a node that does not probe its event loops. */
  public static BusyCeiling none() {
    return new BusyCeiling(() -> 0, System::nanoTime);
  }

  /** The allowance, in nanoseconds a second, of a tenant whose plan gives it {@code plan}. */
  public long allowance(long plan) {
    return plan <= 0 ? plan : Math.min(plan, perSecond());
  }

  /** The ceiling now, in nanoseconds of busy time a second; {@link #NONE} when there is none. */
  public synchronized long perSecond() {
    long now = clock.getAsLong();
    long windows = (now - windowStart) / WINDOW;
    if (windows <= 0) {
      return ceiling;
    }
    windowStart += windows * WINDOW;
    long late = lateTimers.getAsLong();
    boolean shared = now - lastSwitch < TimeUnit.MILLISECONDS.toNanos(SHARED_FOR_MS);
    boolean contended = late != lateSeen && shared;
    lateSeen = late;
    if (contended) {
      ceiling = Math.max(FLOOR_MS * MILLI, Math.min(ceiling, TOP_MS * MILLI) / 2);
    } else if (ceiling != NONE) {
      long raised = ceiling + Math.min(windows, TOP_MS / STEP_MS) * STEP_MS * MILLI;
      ceiling = raised > TOP_MS * MILLI ? NONE : raised;
    }
    return ceiling;
  }
}
