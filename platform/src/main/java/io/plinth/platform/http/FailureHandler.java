package io.plinth.platform.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.db.SqlStates;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: every failed route and every unmatched request
 * ends here and leaves as {@code application/problem+json}. Never a stack trace, never SQL text.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    handle(ctx, 500);
  }

  /**
   * This handler for {@code Router.errorHandler(status, …)}. When routing itself fails, Vert.x
   * calls the error handler of a status without setting that status (or the failure) on the
   * context: a malformed %-escape in the path or query string throws while routes are matched, and
   * Vert.x hands that to the 400 handler with a status of -1. The handler then answers with the
   * status it was registered for, instead of a 500.
   */
  public Handler<RoutingContext> forStatus(int status) {
    return ctx -> handle(ctx, status);
  }

  private void handle(RoutingContext ctx, int unsetStatus) {
    Problem problem = toProblem(ctx, unsetStatus);
    if (problem.code().equals("dependency_unavailable")) {
      LOG.warn(
          "request failed, a dependency is unavailable {} {} {}",
          kv("requestId", RequestIds.of(ctx)),
          kv("path", ctx.request().path()),
          kv("reason", String.valueOf(ctx.failure())));
    } else if (problem.status() >= 500) {
      LOG.error(
          "request failed {} {} {}",
          kv("requestId", RequestIds.of(ctx)),
          kv("method", ctx.request().method().name()),
          kv("path", ctx.request().path()),
          ctx.failure());
    }
    write(ctx, problem);
  }

  /** Writes a problem as the response, unless a response is already under way. */
  public static void write(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for a problem body: cut the connection so the client sees a failure.
      response.reset();
      return;
    }
    if (problem.extra().containsKey(Problem.RETRY_AFTER)) {
      response.putHeader(
          "Retry-After", String.valueOf(problem.extra().getValue(Problem.RETRY_AFTER)));
    }
    response
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.CONTENT_TYPE)
        .end(problem.toJson(RequestIds.of(ctx)).encode());
  }

  /**
   * @param unsetStatus the status to answer with when the context carries neither a failure nor a
   *     status
   */
  static Problem toProblem(RoutingContext ctx, int unsetStatus) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException pe) {
      return pe.problem();
    }
    if (SqlStates.is(failure, SqlStates.QUERY_CANCELED)) {
      return new Problem(503, "query_timeout", "the query took too long and was cancelled")
          .retryAfterSeconds(1);
    }
    if (failure != null && DependencyFailures.isDependencyDown(failure)) {
      return new Problem(
              503, "dependency_unavailable", "a service this request needs is unavailable")
          .retryAfterSeconds(2);
    }
    int status = failure instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
    if (failure != null && !(failure instanceof HttpException)) {
      status = 500;
    } else if (failure == null && status < 0) {
      status = unsetStatus;
    }
    return switch (status) {
      case 400 -> new Problem(400, "bad_request", "the request could not be read");
      case 401 -> new Problem(401, "unauthorized", "credentials are missing or invalid");
      case 403 -> new Problem(403, "forbidden", "these credentials may not do this");
      case 404 -> new Problem(404, "not_found", "no such resource: " + ctx.request().path());
      case 405 ->
          new Problem(
              405,
              "method_not_allowed",
              ctx.request().method().name() + " is not allowed on " + ctx.request().path());
      case 413 -> new Problem(413, "body_too_large", "the request body is too large");
      case 415 -> new Problem(415, "unsupported_media_type", "send the body as application/json");
      default ->
          status >= 400 && status < 500
              ? new Problem(status, "client_error", "the request was refused")
              : new Problem(500, "internal_error", "an unexpected error occurred");
    };
  }
}
