package io.plinth.platform.server;

import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.health.HealthRoutes;
import io.plinth.platform.http.AccessLog;
import io.plinth.platform.http.FailureHandler;
import io.plinth.platform.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server on one event loop. The node deploys as many as it has event loops; they share the
 * port. The route table: request id, access log, body limit, health, metrics, the service's routes,
 * and one failure handler for all of them.
 */
final class HttpVerticle extends VerticleBase {

  private static final Set<HttpMethod> BODY_METHODS =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
  private static final int[] ERROR_STATUSES = {400, 404, 405, 413, 415, 500};

  private final PlinthConfig.Http http;
  private final long shutdownTimeoutMs;
  private final HealthRoutes health;
  private final Handler<RoutingContext> metrics;
  private final PlinthService.Routes routes;
  private HttpServer server;

  HttpVerticle(
      PlinthConfig.Http http,
      long shutdownTimeoutMs,
      HealthRoutes health,
      Handler<RoutingContext> metrics,
      PlinthService.Routes routes) {
    this.http = http;
    this.shutdownTimeoutMs = shutdownTimeoutMs;
    this.health = health;
    this.metrics = metrics;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds()).handler(new AccessLog());
    // Bodies are read (up to the limit, else 413) only for methods that carry one. A method
    // filter on a route would turn every unknown GET path into a 405, hence the check here.
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(http.maxBodyBytes());
    router
        .route()
        .handler(
            ctx -> {
              if (BODY_METHODS.contains(ctx.request().method())) {
                bodies.handle(ctx);
              } else {
                ctx.next();
              }
            });
    health.addTo(router);
    router.get("/metrics").handler(metrics);
    routes.addTo(router);

    FailureHandler failures = new FailureHandler();
    router.route().failureHandler(failures);
    for (int status : ERROR_STATUSES) {
      router.errorHandler(status, failures.forStatus(status));
    }

    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(http.host())
                .setPort(http.port())
                .setCompressionSupported(true)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
    return server.requestHandler(router).listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting, lets in-flight requests finish within the timeout, then closes. */
  @Override
  public Future<?> stop() {
    return server.shutdown(shutdownTimeoutMs, TimeUnit.MILLISECONDS);
  }
}
