package io.plinth.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An API's OpenAPI description ({@code /v1/openapi.json} of the data plane, {@code
 * /admin/v1/openapi.json} of the control plane), kept as a class-path resource. It describes the
 * API, not a tenant or an operator, so it needs no credential: add it to the router before
 * authentication. Read once at start and served from memory with an {@code ETag}.
 */
public final class OpenApiDocument {

  private static final String CACHE_CONTROL = "public, max-age=300";

  private final String path;
  private final Buffer body;
  private final String etag;

  private OpenApiDocument(String path, byte[] bytes) {
    this.path = path;
    // Shared by every request: Vert.x writes a slice of it, never the buffer itself.
    this.body = Buffer.buffer(bytes);
    new JsonObject(body); // a broken document fails the start, not the first request
    this.etag = "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 8) + "\"";
  }

  /**
   * Reads {@code resource} on a worker thread (class-path reads block), to be served at {@code
   * path}; fails when it is missing or not JSON.
   */
  public static Future<OpenApiDocument> load(Vertx vertx, String path, String resource) {
    return vertx.executeBlocking(() -> new OpenApiDocument(path, read(resource)));
  }

  public void addTo(Router router) {
    router.get(path).handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", CACHE_CONTROL);
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(body);
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
