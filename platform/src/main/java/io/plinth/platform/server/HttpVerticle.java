package io.plinth.platform.server;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.health.HealthRoutes;
import io.plinth.platform.http.AccessLog;
import io.plinth.platform.http.FailureHandler;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
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

  /**
   * The longest request line accepted (method, path, query string, version); longer ones get a 414
   * problem. Vert.x's default of 4,096 bytes is shorter than the data plane's own {@code after}
   * cursors, which may be up to 16 KiB when the order has long text values: a client could not send
   * back the {@code next} it was given.
   */
  static final int MAX_REQUEST_LINE = 32 * 1024;

  private final PlinthConfig.Http http;
  private final long shutdownTimeoutMs;
  private final EventLoopLag lag;
  private final HealthRoutes health;
  private final Handler<RoutingContext> metrics;
  private final PlinthService.Routes routes;
  private HttpServer server;
  private Router router;
  private long lagProbe = -1;

  HttpVerticle(
      PlinthConfig.Http http,
      long shutdownTimeoutMs,
      EventLoopLag lag,
      HealthRoutes health,
      Handler<RoutingContext> metrics,
      PlinthService.Routes routes) {
    this.http = http;
    this.shutdownTimeoutMs = shutdownTimeoutMs;
    this.lag = lag;
    this.health = health;
    this.metrics = metrics;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    lagProbe = lag.probe(vertx); // one verticle per event loop: each loop gets its probe
    router = Router.router(vertx);
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
    routes.addFirst(router);
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
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setCompressionSupported(true)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
    return server.requestHandler(router).invalidRequestHandler(this::invalid).listen();
  }

  /**
   * A request the HTTP codec could not read never reaches the router, so it is answered here, as a
   * problem like every other error: 414 for a request line over {@link #MAX_REQUEST_LINE}, 431 for
   * headers over the limit, else 400. The connection is then closed, as Vert.x does by default: the
   * request's framing cannot be trusted. It is closed a moment after the answer, not at once: a
   * client still sending the rest of its request would otherwise get a reset before it reads the
   * answer.
   */
  private void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem =
        cause instanceof TooLongHttpLineException
            ? new Problem(
                414, "uri_too_long", "the request line is over " + MAX_REQUEST_LINE + " bytes")
            : cause instanceof TooLongHttpHeaderException
                ? new Problem(431, "headers_too_large", "the request headers are too large")
                : new Problem(400, "bad_request", "the request could not be read");
    request
        .response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.CONTENT_TYPE)
        .putHeader("Connection", "close")
        .end(problem.toJson(null).encode())
        .onComplete(
            ignored -> vertx.setTimer(CLOSE_AFTER_INVALID_MS, t -> request.connection().close()));
  }

  private static final long CLOSE_AFTER_INVALID_MS = 1_000;

  int actualPort() {
    return server.actualPort();
  }

  List<Route> routes() {
    return router.getRoutes();
  }

  /** Stops accepting, lets in-flight requests finish within the timeout, then closes. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(lagProbe);
    return server.shutdown(shutdownTimeoutMs, TimeUnit.MILLISECONDS);
  }
}
