package io.plinth.tenantapi.usage;

import io.plinth.platform.usage.UsageRecorder;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts each {@code /v1} request for the usage series when its response ends: its tenant, status
 * and latency, into the node's {@link UsageRecorder}. First on the route, so the latency covers
 * authentication and limits too; a request that never names a tenant (no key, a bad one) is not
 * counted, there being no one to count it for. Change streams are not counted: they are open for
 * minutes, and would only skew the latency.
 */
public final class UsageCounting implements Handler<RoutingContext> {

  private final UsageRecorder recorder;

  public UsageCounting(UsageRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ignored -> {
          Caller caller = Caller.find(ctx);
          if (caller != null && !isStream(ctx)) {
            recorder.record(
                caller.tenantId(), ctx.response().getStatusCode(), System.nanoTime() - start);
          }
        });
    ctx.next();
  }

  private static boolean isStream(RoutingContext ctx) {
    String type = ctx.response().headers().get("Content-Type");
    return type != null && type.startsWith("text/event-stream");
  }
}
