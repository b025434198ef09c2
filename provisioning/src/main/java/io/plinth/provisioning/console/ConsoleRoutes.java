package io.plinth.provisioning.console;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.server.PlinthService;
import io.plinth.provisioning.identity.RealmTemplates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console at {@code /console/} ({@code /} redirects there): the entry page (never cached), its
 * own files under {@code /console/<fingerprint>/} and the WebJars it uses under {@code
 * /console/vendor/<webjar>/<version>/} (both cached for a year: their paths change with their
 * content), and {@code /console/config.json}, where it learns which Keycloak to sign in at. Without
 * the console's jar on the classpath, {@code /console/} is a 404 problem saying so.
 */
public final class ConsoleRoutes implements PlinthService.Routes {

  static final String BASE = "/console/";
  static final String VENDOR = BASE + "vendor/";
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_.@-]+(/[A-Za-z0-9_.@-]+)*");

  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json",
          "map", "application/json",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "woff2", "font/woff2",
          "txt", "text/plain; charset=utf-8");

  private final Vertx vertx;
  private final Optional<ConsoleAssets> assets;
  private final Optional<URI> keycloak;
  private final Map<String, String> headers;
  private final ClassLoader loader;

  /** WebJar files read so far: immutable, and few (those the console imports). */
  private final Map<String, Buffer> vendorFiles = new ConcurrentHashMap<>();

  public ConsoleRoutes(
      Vertx vertx, Optional<ConsoleAssets> assets, Optional<URI> keycloak, ClassLoader loader) {
    this.vertx = vertx;
    this.assets = assets;
    this.keycloak = keycloak;
    this.loader = loader;
    this.headers = ConsoleHeaders.of(assets.map(ConsoleAssets::importMapHash), keycloak);
  }

  /** Reads the console from the classpath off the event loop; empty when it is not installed. */
  public static Future<Optional<ConsoleAssets>> load(Vertx vertx, ClassLoader loader) {
    return vertx.executeBlocking(() -> ConsoleAssets.load(loader, ConsoleAssets.ROOT), false);
  }

  /** What the console reads at start: where to sign in, or null without Keycloak. */
  JsonObject config() {
    return new JsonObject()
        .put(
            "keycloak",
            keycloak
                .map(
                    url ->
                        new JsonObject()
                            .put("url", url.toString())
                            .put("realm", RealmTemplates.PLATFORM_REALM)
                            .put("clientId", RealmTemplates.CONSOLE_CLIENT))
                .orElse(null));
  }

  @Override
  public void addTo(Router router) {
    router.get("/").handler(ctx -> redirect(ctx, BASE));
    // A plain route for /console would match /console/ too (Vert.x ignores a trailing slash).
    router.getWithRegex("/console").setName("/console").handler(ctx -> redirect(ctx, BASE));
    router.route(BASE + "*").handler(this::secure);
    // Served with or without the console's files: it is in the admin API's OpenAPI document.
    router
        .get(BASE + "config.json")
        .handler(
            ctx -> send(ctx, "application/json", ConsoleHeaders.REVALIDATE, config().toBuffer()));
    if (assets.isEmpty()) {
      router
          .route(BASE + "*")
          .handler(
              ctx ->
                  ctx.fail(
                      new ProblemException(
                          404,
                          "console_not_installed",
                          "the console is not installed on this control plane (its jar"
                              + " plinth-console is not on the classpath); /admin/v1 works"
                              + " without it")));
      return;
    }
    ConsoleAssets console = assets.get();
    router
        .get(BASE)
        .handler(
            ctx ->
                send(
                    ctx,
                    "text/html; charset=utf-8",
                    ConsoleHeaders.REVALIDATE,
                    Buffer.buffer(console.entryPage())));
    router.get(BASE + "index.html").handler(ctx -> redirect(ctx, BASE));
    router.get(VENDOR + ":webjar/:version/*").handler(this::vendor);
    router
        .get(BASE + console.fingerprint() + "/*")
        .handler(
            ctx -> {
              String path = ctx.pathParam("*");
              Optional<Buffer> file = path == null ? Optional.empty() : console.file(path);
              if (file.isEmpty() || path.equals(ConsoleAssets.IMPORT_MAP)) {
                ctx.next();
                return;
              }
              send(ctx, type(path), ConsoleHeaders.ONE_YEAR, file.get());
            });
  }

  private void secure(RoutingContext ctx) {
    headers.forEach(ctx.response()::putHeader);
    ctx.next();
  }

  /** A file of a WebJar the console uses, at the version on the classpath; else 404. */
  private void vendor(RoutingContext ctx) {
    String webjar = ctx.pathParam("webjar");
    String version = ctx.pathParam("version");
    String path = ctx.pathParam("*");
    ConsoleAssets console = assets.orElseThrow();
    if (!version.equals(console.webjarVersions().get(webjar))
        || path == null
        || !SAFE_PATH.matcher(path).matches()
        || path.contains("..")
        || !TYPES.containsKey(extension(path))) {
      ctx.next();
      return;
    }
    String resource = ConsoleAssets.webjarResource(webjar, version, path);
    Buffer cached = vendorFiles.get(resource);
    Future<Buffer> file =
        cached != null
            ? Future.succeededFuture(cached)
            : vertx.executeBlocking(
                () -> {
                  try (InputStream in = loader.getResourceAsStream(resource)) {
                    return in == null ? null : Buffer.buffer(in.readAllBytes());
                  }
                },
                false);
    file.onSuccess(
            bytes -> {
              if (bytes == null) {
                ctx.next();
                return;
              }
              vendorFiles.putIfAbsent(resource, bytes);
              send(ctx, type(path), ConsoleHeaders.ONE_YEAR, bytes);
            })
        .onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, String type, String cacheControl, Buffer body) {
    ctx.response()
        .putHeader("Content-Type", type)
        .putHeader("Cache-Control", cacheControl)
        .end(body);
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader("Location", location).end();
  }

  private static String extension(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(dot + 1);
  }

  private static String type(String path) {
    return TYPES.getOrDefault(extension(path), "application/octet-stream");
  }
}
