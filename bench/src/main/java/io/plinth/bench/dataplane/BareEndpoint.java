package io.plinth.bench.dataplane;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP ceiling every scenario is compared with: a bare Vert.x endpoint in the bench's JVM that
 * answers every request with the same JSON document (a copy of one record).
 */
final class BareEndpoint implements AutoCloseable {

  private final Vertx vertx;
  private final HttpServer server;
  private final int length;

  private BareEndpoint(Vertx vertx, HttpServer server, int length) {
    this.vertx = vertx;
    this.server = server;
    this.length = length;
  }

  static BareEndpoint start(String document) throws Exception {
    Buffer body = Buffer.buffer(document);
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  req -> req.response().putHeader("Content-Type", "application/json").end(body))
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
      return new BareEndpoint(vertx, server, body.length());
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  int port() {
    return server.actualPort();
  }

  /** The document's size in bytes. */
  int length() {
    return length;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
