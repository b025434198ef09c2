package io.plinth.platform.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests per second per scope (a tenant, a key), counted across the cluster without a cluster
 * round trip per request: each node takes allotments of the current one-second window's budget from
 * a counter in a Hazelcast map (an entry processor on the counter's owner, so nodes never over-draw
 * together) and spends them locally. Allotments are a fiftieth of the limit, so what nodes leave
 * unspent when a window ends stays a few percent of it.
 *
 * <p>When the cluster cannot be asked, requests are let through: a broken limiter must not take the
 * API down with it.
 */
public final class ClusterRateLimiter {

  /** The answer for one request, with what the {@code RateLimit} headers report. */
  public record Decision(boolean allowed, int limit, long remaining) {}

  /** Allotment size as a share of the limit. */
  static final int ALLOTMENTS_PER_WINDOW = 50;

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRateLimiter.class);
  private final IMap<String, Long> counters;
  private final Vertx vertx;
  private final Clock clock;
  private final Map<String, Allotment> allotments = new ConcurrentHashMap<>();

  public ClusterRateLimiter(HazelcastInstance cluster, Vertx vertx, Clock clock) {
    this.counters = cluster.getMap(ClusterMaps.RATE_LIMITS);
    this.vertx = vertx;
    this.clock = clock;
  }

  /** This node's share of one scope's current window. Guarded by itself. */
  private static final class Allotment {
    final long window;
    int local;
    long clusterUsed;
    boolean exhausted;
    Future<Void> refill;

    Allotment(long window) {
      this.window = window;
    }
  }

  /** Takes one request from {@code scope}'s budget of {@code limit} per second. */
  public Future<Decision> acquire(String scope, int limit) {
    long window = clock.millis() / 1000;
    Allotment allotment =
        allotments.compute(
            scope,
            (k, current) ->
                current == null || current.window != window ? new Allotment(window) : current);
    Future<Void> pending;
    synchronized (allotment) {
      if (allotment.local > 0) {
        allotment.local--;
        return Future.succeededFuture(decision(true, allotment, limit));
      }
      if (allotment.exhausted) {
        return Future.succeededFuture(decision(false, allotment, limit));
      }
      if (allotment.refill == null) {
        // The field is set before the refill starts: a refill that completes on this thread
        // (its handler clears the field) must not leave a finished future behind.
        Promise<Void> refilled = Promise.promise();
        allotment.refill = refilled.future();
        pending = refilled.future();
        refill(scope, allotment, limit).onComplete(refilled);
      } else {
        pending = allotment.refill;
      }
    }
    return pending.transform(
        refilled ->
            refilled.succeeded()
                ? acquire(scope, limit)
                : Future.succeededFuture(new Decision(true, limit, limit)));
  }

  /** What {@link #acquire} would report now, without taking anything. */
  public Future<Decision> peek(String scope, int limit) {
    Allotment allotment = allotments.get(scope);
    if (allotment == null || allotment.window != clock.millis() / 1000) {
      return Future.succeededFuture(new Decision(true, limit, limit));
    }
    synchronized (allotment) {
      return Future.succeededFuture(
          decision(allotment.local > 0 || !allotment.exhausted, allotment, limit));
    }
  }

  private Future<Void> refill(String scope, Allotment allotment, int limit) {
    int size = Math.max(1, limit / ALLOTMENTS_PER_WINDOW);
    return ClusterFutures.onContext(
            counters.submitToKey(scope + "@" + allotment.window, new Take(size, limit)),
            vertx.getOrCreateContext())
        .andThen(
            taken -> {
              synchronized (allotment) {
                allotment.refill = null;
                if (taken.succeeded()) {
                  long[] result = taken.result();
                  allotment.local += (int) result[0];
                  allotment.clusterUsed = result[1];
                  allotment.exhausted = result[0] == 0;
                } else {
                  LOG.warn("rate limit not checked: {}", taken.cause().getMessage());
                }
              }
            })
        .mapEmpty();
  }

  private static Decision decision(boolean allowed, Allotment allotment, int limit) {
    return new Decision(
        allowed, limit, Math.max(0, limit - allotment.clusterUsed) + allotment.local);
  }

  /** Forgets allotments of windows that are over; call now and then. */
  public void sweep() {
    long window = clock.millis() / 1000;
    allotments.values().removeIf(a -> a.window < window);
  }

  /**
   * Takes up to {@code size} from a window's counter without passing {@code limit}; returns what it
   * took and the counter after. Runs on the counter's owner.
   */
  static final class Take implements EntryProcessor<String, Long, long[]> {
    private static final long serialVersionUID = 1L;
    private final int size;
    private final int limit;

    Take(int size, int limit) {
      this.size = size;
      this.limit = limit;
    }

    @Override
    public long[] process(Map.Entry<String, Long> entry) {
      long used = entry.getValue() == null ? 0 : entry.getValue();
      long taken = Math.max(0, Math.min(size, limit - used));
      if (taken > 0) {
        // A window's counter is needed for a second; keep it a little longer, then drop it.
        if (entry instanceof ExtendedMapEntry<String, Long> extended) {
          extended.setValue(used + taken, 10, TimeUnit.SECONDS);
        } else {
          entry.setValue(used + taken);
        }
      }
      return new long[] {taken, used + taken};
    }
  }
}
