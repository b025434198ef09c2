package io.plinth.bench.run;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The measure loop of benches that time calls one by one: each call returns how long it took, in
 * nanoseconds (a warm-up is such a loop whose figures are dropped).
 */
public final class Sampling {

  private Sampling() {}

  /** {@code count} calls, one after another. */
  public static long[] nanos(int count, LongSupplier call) {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      nanos[i] = call.getAsLong();
    }
    return nanos;
  }

  /** Up to {@code count} calls, one after another, none started once {@code budget} has passed. */
  public static long[] nanos(int count, Duration budget, LongSupplier call) {
    long[] nanos = new long[count];
    long deadline = System.nanoTime() + budget.toNanos();
    int taken = 0;
    while (taken < count && System.nanoTime() < deadline) {
      nanos[taken++] = call.getAsLong();
    }
    return Arrays.copyOf(nanos, taken);
  }

  public static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** Seconds since {@code startNanos}, a {@link System#nanoTime()}. */
  public static double secondsSince(long startNanos) {
    return seconds(System.nanoTime() - startNanos);
  }
}
