package io.plinth.platform.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counts requests per tenant in periods of fixed length (a minute, {@code
 * plinth.usage.flush-interval}) aligned to the clock, so every node's periods line up. Safe from
 * any event loop; a request adds to atomic counters of its tenant's cell and allocates nothing but
 * the cell, once per tenant and period. Periods that ended are handed out by {@link #finished} once
 * no request can still be adding to them, and all of them by {@link #drain} when the node stops.
 */
public final class UsageRecorder {

  /** A finished period: when it started and what each tenant with traffic did in it. */
  public record Period(Instant start, List<UsageCounts> counts) {

    /** The sum over every tenant of the period: the platform's row. */
    public UsageCounts total() {
      long requests = 0;
      long errors = 0;
      long[] latency = new long[0];
      for (UsageCounts tenant : counts) {
        requests += tenant.requests();
        errors += tenant.errors();
        latency = LatencyHistogram.add(latency, tenant.latency());
      }
      return new UsageCounts(UsageCounts.PLATFORM, requests, errors, latency);
    }
  }

  private final long periodMs;
  private final long graceMs;
  private final LongSupplier clockMs;
  private volatile Window current;
  private final List<Window> ended = new ArrayList<>(); // guarded by this

  public UsageRecorder(Duration period, LongSupplier clockMs) {
    this.periodMs = period.toMillis();
    // Long enough for a request that read the clock just before the period ended to add its
    // count; short against the period, so counts reach the database soon after it.
    this.graceMs = Math.min(2_000, periodMs / 4);
    this.clockMs = clockMs;
    this.current = new Window(startOf(clockMs.getAsLong()));
  }

  /**
   * Errors are what the platform failed or refused: 5xx, and 429 (the tenant's rate limit or
   * bulkhead turned the request away: work the client wanted done and did not get). Other 4xx are
   * the client's own mistakes (bad input, a missing record, a failed precondition), normal in a
   * working app; counting them would hide the platform's failures under them.
   */
  public static boolean isError(int status) {
    return status >= 500 || status == 429;
  }

  /** Counts one request of {@code tenant} that ended with {@code status} after {@code nanos}. */
  public void record(UUID tenant, int status, long nanos) {
    long start = startOf(clockMs.getAsLong());
    Window window = current;
    if (window.start != start) {
      window = roll(start);
    }
    Cell cell = window.cells.get(tenant);
    if (cell == null) {
      cell = window.cells.computeIfAbsent(tenant, ignored -> new Cell());
    }
    cell.requests.incrementAndGet();
    if (isError(status)) {
      cell.errors.incrementAndGet();
    }
    cell.latency.incrementAndGet(LatencyHistogram.bucketOf(nanos));
  }

  /** The periods that ended (with traffic), oldest first, each handed out once. */
  public List<Period> finished() {
    long now = clockMs.getAsLong();
    roll(startOf(now));
    List<Period> done = new ArrayList<>();
    synchronized (this) {
      while (!ended.isEmpty() && ended.get(0).start + periodMs + graceMs <= now) {
        Window window = ended.remove(0);
        if (!window.cells.isEmpty()) {
          done.add(window.period());
        }
      }
    }
    return done;
  }

  /**
   * Every period with traffic, the running one included, oldest first, each handed out once: for a
   * node that stopped serving, whose unfinished period would otherwise be lost. Other nodes add to
   * the same period's rows, so a partial one is no harm.
   */
  public List<Period> drain() {
    List<Period> done = new ArrayList<>();
    synchronized (this) {
      ended.add(current);
      current = new Window(current.start);
      for (Window window : ended) {
        if (!window.cells.isEmpty()) {
          done.add(window.period());
        }
      }
      ended.clear();
    }
    return done;
  }

  private long startOf(long ms) {
    return ms - Math.floorMod(ms, periodMs);
  }

  /** Starts the period that begins at {@code start}, unless a later one already runs. */
  private synchronized Window roll(long start) {
    if (current.start < start) {
      ended.add(current);
      current = new Window(start);
    }
    return current;
  }

  private static final class Window {
    final long start;
    final Map<UUID, Cell> cells = new ConcurrentHashMap<>();

    Window(long start) {
      this.start = start;
    }

    Period period() {
      List<UsageCounts> counts = new ArrayList<>(cells.size());
      cells.forEach((tenant, cell) -> counts.add(cell.counts(tenant)));
      counts.sort((a, b) -> a.tenant().compareTo(b.tenant()));
      return new Period(Instant.ofEpochMilli(start), counts);
    }
  }

  private static final class Cell {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLongArray latency = new AtomicLongArray(LatencyHistogram.BUCKETS);

    UsageCounts counts(UUID tenant) {
      long[] buckets = new long[latency.length()];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = latency.get(i);
      }
      return new UsageCounts(
          tenant, requests.get(), errors.get(), LatencyHistogram.trimmed(buckets));
    }
  }
}
