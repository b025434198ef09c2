package io.plinth.platform.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this node's event loops run on time: a timer on each of them every {@value #PERIOD_MS}
 * ms, counted as late when it fires more than {@code threshold} after it was due. Late timers mean
 * a request arriving then waits too, whatever made the loop late (a long callback, the garbage
 * collector, or another process, such as a co-located database, taking the cores), so it is the
 * signal that tenants' latency is suffering. Counted in {@code plinth.event.loop.late}.
 */
public final class EventLoopLag {

  static final long PERIOD_MS = 10;

  private final long thresholdNanos;
  private final AtomicLong late = new AtomicLong();
  private final Counter lateCounter;

  /**
   * @param threshold how late a timer may fire before it counts; zero turns the probes off
   */
  public EventLoopLag(Duration threshold, MeterRegistry meters) {
    this.thresholdNanos = threshold.toNanos();
    this.lateCounter =
        Counter.builder("plinth.event.loop.late")
            .description("Event-loop probe timers that fired later than the threshold")
            .register(meters);
  }

  /** Late timers so far, on all probed loops. */
  public long lateTimers() {
    return late.get();
  }

  /**
   * Probes the event loop of the calling verticle until the returned timer is cancelled; -1 when
   * probes are off.
   */
  long probe(Vertx vertx) {
    if (thresholdNanos <= 0) {
      return -1;
    }
    long periodNanos = PERIOD_MS * 1_000_000L;
    long[] due = {System.nanoTime() + periodNanos};
    return vertx.setPeriodic(
        PERIOD_MS,
        ignored -> {
          long now = System.nanoTime();
          if (now - due[0] > thresholdNanos) {
            late.incrementAndGet();
            lateCounter.increment();
          }
          due[0] = now + periodNanos;
        });
  }
}
