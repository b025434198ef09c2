package io.plinth.platform.usage;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.registry.UsageMinutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each finished period of a {@link UsageRecorder} to {@code plinth.usage_minutes}, one
 * statement per period. A period the database refused is tried again at the next tick; at most
 * {@link #MAX_PENDING} wait, then the oldest are dropped (and logged), so an outage costs counts,
 * never memory.
 */
public final class UsageFlusher {

  static final int MAX_PENDING = 10;
  private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);

  private final UsageRecorder recorder;
  private final UsageMinutes minutes;
  private final Deque<UsageRecorder.Period> pending = new ArrayDeque<>(); // on the timer's context
  private boolean writing;

  public UsageFlusher(UsageRecorder recorder, UsageMinutes minutes) {
    this.recorder = recorder;
    this.minutes = minutes;
  }

  /** Looks for finished periods a few times per period (at least every 5 s). */
  public void runEvery(Vertx vertx, Duration period) {
    long tick = Math.max(250, Math.min(5_000, period.toMillis() / 4));
    vertx.setPeriodic(tick, ignored -> flush());
  }

  /** Writes what finished; completes when the pending periods are written or one failed. */
  Future<Void> flush() {
    pending.addAll(recorder.finished());
    while (pending.size() > MAX_PENDING) {
      UsageRecorder.Period dropped = pending.removeFirst();
      LOG.warn("usage counts dropped, PostgreSQL refused them {}", kv("period", dropped.start()));
    }
    if (writing || pending.isEmpty()) {
      return Future.succeededFuture();
    }
    writing = true;
    return writeNext().onComplete(ignored -> writing = false);
  }

  private Future<Void> writeNext() {
    UsageRecorder.Period next = pending.peekFirst();
    if (next == null) {
      return Future.succeededFuture();
    }
    return minutes
        .add(next)
        .onFailure(e -> LOG.warn("could not write usage counts; retrying", e))
        .compose(
            written -> {
              pending.removeFirst();
              return writeNext();
            });
  }
}
