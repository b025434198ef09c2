package io.plinth.platform.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured log line per request, written when the response ends. Logs the path only, never
 * the query string or headers, which may carry keys or tokens.
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("io.plinth.access");

  @Override
  public void handle(RoutingContext ctx) {
    if (LOG.isInfoEnabled()) {
      long start = System.nanoTime();
      ctx.addEndHandler(
          ignored ->
              LOG.info(
                  "{} {} {} {} {}",
                  kv("method", ctx.request().method().name()),
                  kv("path", ctx.request().path()),
                  kv("status", ctx.response().getStatusCode()),
                  kv("durationMs", (System.nanoTime() - start) / 1_000_000.0),
                  kv("requestId", RequestIds.of(ctx))));
    }
    ctx.next();
  }
}
