package io.plinth.platform.health;

import io.plinth.platform.http.FailureHandler;
import io.plinth.platform.http.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /health/live} and {@code GET /health/ready}. */
public final class HealthRoutes {

  private static final String RETRY_AFTER_SECONDS = "5";
  private final Readiness readiness;

  public HealthRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  public void addTo(Router router) {
    // Live: the event loop answers. No dependency is checked, so a database outage never makes
    // an orchestrator restart healthy nodes.
    router
        .get("/health/live")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("status", "UP").encode()));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    readiness
        .evaluate(ctx.vertx())
        .onSuccess(
            report -> {
              if (report.ready()) {
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(
                        new JsonObject()
                            .put("status", "UP")
                            .put("checks", report.checks())
                            .encode());
              } else {
                Problem problem =
                    report.draining()
                        ? new Problem(503, "shutting_down", "this node is shutting down")
                        : new Problem(503, "not_ready", "a dependency is unavailable");
                ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
                FailureHandler.write(ctx, problem.with("checks", report.checks()));
              }
            })
        .onFailure(ctx::fail);
  }
}
