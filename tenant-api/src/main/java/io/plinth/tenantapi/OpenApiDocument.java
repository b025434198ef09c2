package io.plinth.tenantapi;

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
 * {@code GET /v1/openapi.json}: the OpenAPI 3.1 description of {@code /v1}, kept as a class-path
 * resource. It describes the API, not a tenant, so it needs no key. Read once at start and served
 * from memory with an {@code ETag}.
 */
final class OpenApiDocument {

  static final String PATH = "/v1/openapi.json";
  static final String RESOURCE = "openapi/tenant-api.json";
  private static final String CACHE_CONTROL = "public, max-age=300";

  private final Buffer body;
  private final String etag;

  private OpenApiDocument(byte[] bytes) {
    // Shared by every request: Vert.x writes a slice of it, never the buffer itself.
    this.body = Buffer.buffer(bytes);
    new JsonObject(body); // a broken document fails the start, not the first request
    this.etag = "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 8) + "\"";
  }

  /** Reads the resource on a worker thread: class-path reads block. */
  static Future<OpenApiDocument> load(Vertx vertx) {
    return vertx.executeBlocking(() -> new OpenApiDocument(read()));
  }

  void addTo(Router router) {
    router.get(PATH).handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", CACHE_CONTROL);
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(body);
    }
  }

  private static byte[] read() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + RESOURCE);
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
