package io.plinth.tenantapi.limits;

import io.plinth.platform.db.DatabaseTime;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-tenant bulkhead on this node: at most {@code concurrency} requests of one tenant run at once,
 * up to {@code queue} more wait their turn, and the rest are refused at once (503 {@code
 * tenant_busy}, {@code Retry-After}). A flooding tenant so queues behind itself instead of taking
 * every pooled connection, and other tenants keep theirs. The permit is held until the response
 * ends.
 *
 * <p>A tenant whose limits give it a busy-time allowance ({@link
 * io.plinth.platform.registry.TenantLimits#busyMsPerSecond()}) also waits while it has used more
 * than that: the database time of its requests (their statements' time on a connection, see {@link
 * DatabaseTime}) is charged to a {@link BusyBudget}, and its next request starts once that is paid.
 * Concurrency alone cannot keep a tenant whose every request is a table scan from taking a whole
 * database core; a bound on its time can (ADR 0012). While the node is contended, a {@link
 * BusyCeiling} lowers every allowance to a common ceiling, so the heaviest tenants slow down first
 * (ADR 0013).
 */
public final class TenantBulkhead implements Handler<RoutingContext> {

  private static final long MILLI = 1_000_000L;

  private final int concurrency;
  private final int queue;
  private final BusyCeiling ceiling;
  private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param ceiling the node's ceiling on every tenant's allowance, lowered while it is contended
   */
  public TenantBulkhead(int concurrency, int queue, BusyCeiling ceiling) {
    this.concurrency = concurrency;
    this.queue = queue;
    this.ceiling = ceiling;
  }

  /** One tenant's permits, waiting requests and busy-time allowance. Guarded by itself. */
  private static final class Lane {
    int running;
    boolean retired; // removed from the map: a request that still holds it must take a new one
    boolean wakeScheduled; // a timer will start waiting requests once the allowance is back
    BusyBudget budget; // null: no busy-time limit
    final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    void limit(long perSecondNanos) {
      if (perSecondNanos <= 0) {
        budget = null;
      } else if (budget == null) {
        budget = new BusyBudget(perSecondNanos, System::nanoTime);
      } else {
        budget.rate(perSecondNanos);
      }
    }

    /**
     * A permit is free and the allowance, if any, not used up; a tenant with less than half its
     * allowance left runs one request at a time, so paid-off debt does not release a burst of
     * costly requests onto the event loops and the database at once.
     */
    boolean mayStart(int concurrency) {
      if (budget == null) {
        return running < concurrency;
      }
      return running < (budget.low() ? 1 : concurrency) && budget.available();
    }

    /** A request starts; returns what it holds of the allowance until it ends. */
    long start() {
      running++;
      return budget == null ? 0 : budget.start();
    }

    /** Nothing runs, waits or is owed, and no cost has been learnt: dropping it changes nothing. */
    boolean forgettable() {
      return running == 0
          && waiting.isEmpty()
          && !wakeScheduled
          && (budget == null || budget.forgettable());
    }
  }

  private record Waiting(RoutingContext ctx, Context context) {}

  /** A waiting request that may start now, with what it holds of its tenant's allowance. */
  private record Starting(Waiting request, long held) {}

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    UUID tenant = caller.tenantId();
    ceiling.arrived(tenant);
    Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
    long held;
    synchronized (lane) {
      if (lane.retired) {
        handle(ctx); // lost a race with the lane's removal; the next lookup makes a new one
        return;
      }
      lane.limit(ceiling.allowance(caller.limits().busyMsPerSecond() * MILLI));
      if (lane.waiting.isEmpty() && lane.mayStart(concurrency)) {
        held = lane.start();
      } else if (lane.waiting.size() < queue) {
        lane.waiting.add(new Waiting(ctx, Vertx.currentContext()));
        wakeLater(ctx.vertx(), tenant, lane);
        return;
      } else {
        ctx.fail(
            new ProblemException(
                new Problem(
                        503,
                        "tenant_busy",
                        "too many requests of this tenant are waiting for their turn")
                    .retryAfterSeconds(1)));
        return;
      }
    }
    proceed(ctx, tenant, lane, held);
  }

  private void proceed(RoutingContext ctx, UUID tenant, Lane lane, long held) {
    if (ctx.response().closed()) {
      release(ctx.vertx(), tenant, lane, held, 0); // the client gave up while waiting
      return;
    }
    if (Caller.of(ctx).limits().busyMsPerSecond() <= 0) {
      // No allowance to charge (plan internal): the request's statements need no meter.
      ctx.addEndHandler(ignored -> release(ctx.vertx(), tenant, lane, held, 0));
    } else {
      // The request runs on a context of its own (Vert.x duplicates one per request): its
      // statements, and only its, add to this meter.
      DatabaseTime.Meter databaseTime = DatabaseTime.meter(Vertx.currentContext());
      ctx.addEndHandler(ignored -> release(ctx.vertx(), tenant, lane, held, databaseTime.nanos()));
    }
    ctx.next();
  }

  private void release(Vertx vertx, UUID tenant, Lane lane, long held, long databaseNanos) {
    List<Starting> starting;
    synchronized (lane) {
      lane.running--;
      if (lane.budget != null) {
        lane.budget.spend(databaseNanos, held);
      }
      starting = startWaiting(vertx, tenant, lane);
    }
    resume(tenant, lane, starting);
  }

  /** Takes the waiting requests that may start now; the rest wait for a permit or a timer. */
  private List<Starting> startWaiting(Vertx vertx, UUID tenant, Lane lane) {
    List<Starting> starting = new ArrayList<>();
    while (!lane.waiting.isEmpty() && lane.mayStart(concurrency)) {
      Waiting next = lane.waiting.poll();
      starting.add(new Starting(next, lane.start()));
    }
    wakeLater(vertx, tenant, lane);
    if (lane.forgettable()) {
      lane.retired = true;
      lanes.remove(tenant, lane); // idle tenants whose requests cost nothing hold no memory
    }
    return starting;
  }

  /** When requests wait only for the allowance (a permit is free), a timer starts them. */
  private void wakeLater(Vertx vertx, UUID tenant, Lane lane) {
    if (lane.wakeScheduled
        || lane.waiting.isEmpty()
        || lane.budget == null
        || lane.running >= (lane.budget.low() ? 1 : concurrency)) {
      return;
    }
    long nanos = lane.budget.nanosUntilAvailable();
    if (nanos == Long.MAX_VALUE) {
      return; // only a running request's end can let one start, and its release looks again
    }
    long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
    lane.wakeScheduled = true;
    vertx.setTimer(
        delayMillis,
        ignored -> {
          List<Starting> starting;
          synchronized (lane) {
            lane.wakeScheduled = false;
            starting = startWaiting(vertx, tenant, lane);
          }
          resume(tenant, lane, starting);
        });
  }

  private void resume(UUID tenant, Lane lane, List<Starting> starting) {
    for (Starting next : starting) {
      Waiting request = next.request();
      request.context().runOnContext(ignored -> proceed(request.ctx(), tenant, lane, next.held()));
    }
  }
}
