package io.plinth.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until a condition holds, for state that converges (readiness after an outage). */
public final class Eventually {

  private Eventually() {}

  /** Returns the first value accepted by {@code done}, or fails after {@code within}. */
  public static <T> T poll(
      Duration within, Supplier<T> probe, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("condition not met within " + within + "; last value: " + last);
  }
}
