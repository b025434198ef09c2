package io.plinth.tenantapi.limits;

import io.plinth.platform.http.FailureHandler;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.TenantLimits;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/** What the bulkhead tests share: callers named by a header, and a server for their router. */
final class BulkheadFixture {

  private BulkheadFixture() {}

  /** Attaches a caller of the tenant in {@code X-Tenant}, with {@code busyMs} as its allowance. */
  static Handler<RoutingContext> callerFromHeader(ToIntFunction<UUID> busyMs) {
    return ctx -> {
      UUID tenant = UUID.fromString(ctx.request().getHeader("X-Tenant"));
      new Caller(
              tenant,
              "t",
              "t_t",
              UUID.randomUUID(),
              KeyKind.SECRET,
              new TenantLimits(
                  0, 0, Long.MAX_VALUE, Long.MAX_VALUE, 10, 10, busyMs.applyAsInt(tenant)),
              Optional.empty(),
              Optional.empty())
          .attachTo(ctx);
      ctx.next();
    };
  }

  /** Serves {@code router}, with the node's failure handler, on a free port. */
  static HttpServer listen(Vertx vertx, Router router) throws Exception {
    router.route().failureHandler(new FailureHandler());
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}
