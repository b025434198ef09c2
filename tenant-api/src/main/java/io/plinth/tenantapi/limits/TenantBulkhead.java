package io.plinth.tenantapi.limits;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant bulkhead on this node: at most {@code concurrency} requests of one tenant do database
 * work at once, up to {@code queue} more wait their turn, and the rest are refused at once (503
 * {@code tenant_busy}, {@code Retry-After}). A flooding tenant so queues behind itself instead of
 * taking every pooled connection, and other tenants keep theirs. The permit is held until the
 * response ends.
 */
public final class TenantBulkhead implements Handler<RoutingContext> {

  private final int concurrency;
  private final int queue;
  private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();

  public TenantBulkhead(int concurrency, int queue) {
    this.concurrency = concurrency;
    this.queue = queue;
  }

  /** One tenant's permits and waiting requests. Guarded by itself. */
  private static final class Lane {
    int running;
    boolean retired; // removed from the map: a request that still holds it must take a new one
    final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  }

  private record Waiting(RoutingContext ctx, Context context) {}

  @Override
  public void handle(RoutingContext ctx) {
    UUID tenant = Caller.of(ctx).tenantId();
    Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
    synchronized (lane) {
      if (lane.retired) {
        handle(ctx); // lost a race with the lane's removal; the next lookup makes a new one
        return;
      }
      if (lane.running < concurrency) {
        lane.running++;
      } else if (lane.waiting.size() < queue) {
        lane.waiting.add(new Waiting(ctx, Vertx.currentContext()));
        return;
      } else {
        ctx.fail(
            new ProblemException(
                new Problem(
                        503,
                        "tenant_busy",
                        "too many requests of this tenant are waiting for the database")
                    .retryAfterSeconds(1)));
        return;
      }
    }
    proceed(ctx, tenant, lane);
  }

  private void proceed(RoutingContext ctx, UUID tenant, Lane lane) {
    if (ctx.response().closed()) {
      release(tenant, lane); // the client gave up while waiting
      return;
    }
    ctx.addEndHandler(ignored -> release(tenant, lane));
    ctx.next();
  }

  private void release(UUID tenant, Lane lane) {
    Waiting next;
    synchronized (lane) {
      next = lane.waiting.poll();
      if (next == null) {
        lane.running--;
        if (lane.running == 0) {
          lane.retired = true;
          lanes.remove(tenant, lane); // idle tenants hold no memory
        }
        return;
      }
      // The permit passes straight to the next request.
    }
    Waiting handedOver = next;
    handedOver.context().runOnContext(ignored -> proceed(handedOver.ctx(), tenant, lane));
  }

  /** Requests of the tenant running and waiting now, for tests and metrics. */
  int inUse(UUID tenant) {
    Lane lane = lanes.get(tenant);
    if (lane == null) {
      return 0;
    }
    synchronized (lane) {
      return lane.running + lane.waiting.size();
    }
  }
}
