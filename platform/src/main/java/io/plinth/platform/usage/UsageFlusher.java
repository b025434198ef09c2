package io.plinth.platform.usage;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.registry.UsageMinutes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each finished period of a {@link UsageRecorder} to {@code plinth.usage_minutes}, one
 * statement per period. A period the database refused is tried again at the next tick; at most
 * {@link #MAX_PENDING} wait, then the oldest are dropped (and logged), so an outage costs counts,
 * never memory. When the node stops, {@link #flushAll} writes what was counted, the unfinished
 * period too.
 */
public final class UsageFlusher {

  static final int MAX_PENDING = 10;
  private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);

  private final UsageRecorder recorder;
  private final UsageMinutes minutes;
  // pending and writing live on the timer's context.
  private final Deque<UsageRecorder.Period> pending = new ArrayDeque<>();
  private Future<Void> writing = Future.succeededFuture();
  private Vertx vertx;
  private Context context;
  private long timer = -1;

  public UsageFlusher(UsageRecorder recorder, UsageMinutes minutes) {
    this.recorder = recorder;
    this.minutes = minutes;
  }

  /** Looks for finished periods a few times per period (at least every 5 s). */
  public void runEvery(Vertx vertx, Duration period) {
    long tick = Math.max(250, Math.min(5_000, period.toMillis() / 4));
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    context.runOnContext(ignored -> timer = vertx.setPeriodic(tick, t -> flush()));
  }

  /** Writes what finished; completes when the pending periods are written or one failed. */
  Future<Void> flush() {
    take(recorder.finished());
    if (!writing.isComplete() || pending.isEmpty()) {
      return Future.succeededFuture();
    }
    writing = writeNext();
    return writing;
  }

  /**
   * Stops the timer and writes every period counted so far, the running one too, after the write
   * under way: for a node whose servers stopped serving. Completes when all are written or one
   * failed; what is left then is lost.
   */
  public Future<Void> flushAll() {
    if (context == null) {
      return writeAll();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(ignored -> writeAll().onComplete(done));
    return done.future();
  }

  private Future<Void> writeAll() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    take(recorder.drain());
    writing = writing.transform(ignored -> writeNext());
    return writing;
  }

  private void take(List<UsageRecorder.Period> periods) {
    pending.addAll(periods);
    while (pending.size() > MAX_PENDING) {
      UsageRecorder.Period dropped = pending.removeFirst();
      LOG.warn("usage counts dropped, PostgreSQL refused them {}", kv("period", dropped.start()));
    }
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
