package io.plinth.provisioning.admin;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * A route's request parser: reads what the action needs (body, path, query string), checks it and
 * puts it on the routing context as a typed request for the handlers after it. A request that is
 * not valid is thrown as a {@link ProblemException}: Vert.x Web catches whatever a route handler
 * throws and fails the context with it ({@code RoutingContextImplBase.iterateNext}), so it reaches
 * the failure handler like any other failure.
 *
 * @param <T> the typed request
 */
public final class RequestParser<T> implements Handler<RoutingContext> {

  private final String key;
  private final Function<RoutingContext, T> parse;

  private RequestParser(String key, Function<RoutingContext, T> parse) {
    this.key = key;
    this.parse = parse;
  }

  /**
   * @param name what the request is, unique among the parsers of one route
   * @param parse reads and checks the request; throws {@link ProblemException} when it is not valid
   */
  public static <T> RequestParser<T> of(String name, Function<RoutingContext, T> parse) {
    return new RequestParser<>("plinth.request." + name, parse);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(key, parse.apply(ctx));
    ctx.next();
  }

  /** The request this parser put on the context. */
  public T get(RoutingContext ctx) {
    return ctx.get(key);
  }
}
