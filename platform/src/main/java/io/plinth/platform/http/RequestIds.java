package io.plinth.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a safe token (so ids can
 * be followed across services), otherwise a fresh one. Echoed in the response and the logs.
 */
public final class RequestIds implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "plinth.requestId";
  // Letters, digits and a few separators only: the id ends up in logs and headers verbatim.
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}");

  @Override
  public void handle(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    String id = offered != null && SAFE.matcher(offered).matches() ? offered : generate();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /** The request's id; never null once this handler ran. */
  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("%016x%016x", random.nextLong(), random.nextLong());
  }
}
