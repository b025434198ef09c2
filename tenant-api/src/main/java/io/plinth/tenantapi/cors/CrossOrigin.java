package io.plinth.tenantapi.cors;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CORS on {@code /v1/*} and {@code /health/*}, so that apps in a browser call the data plane from
 * their own origin: preflights are answered (204) before any key is asked for, and answers carry
 * the headers an SDK reads. Credentials are never allowed: the data plane authenticates by header
 * ({@code apikey}, {@code Authorization}), never by cookie.
 */
public final class CrossOrigin {

  /** Any origin. */
  public static final String ANY = "*";

  static final Set<String> ALLOWED_HEADERS =
      Set.of(
          "apikey",
          "authorization",
          "content-type",
          "if-match",
          "if-none-match",
          "idempotency-key",
          "last-event-id",
          "plinth-consistency-token",
          "x-request-id");

  static final Set<String> EXPOSED_HEADERS =
      Set.of(
          "etag",
          "location",
          "retry-after",
          "x-request-id",
          "plinth-consistency-token",
          "idempotent-replayed");

  static final Set<HttpMethod> METHODS =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PATCH,
          HttpMethod.PUT,
          HttpMethod.DELETE);

  /** How long a browser may keep a preflight's answer. */
  static final int MAX_AGE_SECONDS = 600;

  private static final Pattern ORIGIN =
      Pattern.compile(
          "https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?|https?://\\[[0-9A-Fa-f:]+](:\\d{1,5})?");

  private final List<String> origins;

  /**
   * @param origins {@link #ANY}, or the origins allowed; none: no cross-origin calls
   */
  public CrossOrigin(List<String> origins) {
    this.origins = List.copyOf(origins);
  }

  /** A setting's element: {@code *} or an origin, {@code scheme://host[:port]}. */
  public static String origin(String text) {
    String origin = text.trim();
    if (!origin.equals(ANY) && !ORIGIN.matcher(origin).matches()) {
      throw new IllegalArgumentException(
          "expected * or origins like https://app.example.com (scheme://host[:port], no path)");
    }
    return origin;
  }

  public void addTo(Router router) {
    if (origins.isEmpty()) {
      return; // browsers refuse cross-origin answers without the headers
    }
    CorsHandler cors =
        CorsHandler.create()
            .allowedHeaders(ALLOWED_HEADERS)
            .exposedHeaders(EXPOSED_HEADERS)
            .allowedMethods(METHODS)
            .allowCredentials(false)
            .maxAgeSeconds(MAX_AGE_SECONDS);
    Handler<RoutingContext> handler = cors;
    if (!origins.contains(ANY)) {
      cors.addOrigins(origins);
      // Vert.x refuses another origin with a bare exception (a 500 here): refused first, as a
      // problem.
      handler =
          ctx -> {
            String origin = ctx.request().getHeader("Origin");
            if (origin != null && origins.stream().noneMatch(origin::equalsIgnoreCase)) {
              ctx.fail(
                  new ProblemException(
                      403, "origin_not_allowed", "this origin may not call the data plane"));
            } else {
              cors.handle(ctx);
            }
          };
    }
    router.route("/v1/*").handler(handler);
    router.route("/health/*").handler(handler);
  }
}
