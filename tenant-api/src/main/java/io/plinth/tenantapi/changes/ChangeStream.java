package io.plinth.tenantapi.changes;

import io.plinth.tenantapi.collections.CollectionDefinition;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's server-sent event stream of a collection's changes. It reads the change log after
 * its cursor when woken by a notification, and on a timer as the backstop; one read at a time, and
 * none while the client is not keeping up (the response's write queue is full).
 */
final class ChangeStream {

  static final int PAGE = 500;
  private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);

  private final Vertx vertx;
  private final Context context;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final ChangeLog log;
  private final String schema;
  private final CollectionDefinition collection;
  private final Optional<String> owner;
  private ChangeCursor cursor;
  // Confined to the stream's context:
  private boolean reading;
  private boolean wokenWhileReading;
  private boolean ended;
  private Runnable stopListening = () -> {};
  private long pollTimer = -1;
  private long heartbeatTimer = -1;

  ChangeStream(
      Vertx vertx,
      HttpServerRequest request,
      ChangeLog log,
      String schema,
      CollectionDefinition collection,
      Optional<String> owner,
      ChangeCursor start) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.request = request;
    this.response = request.response();
    this.log = log;
    this.schema = schema;
    this.collection = collection;
    this.owner = owner;
    this.cursor = start;
  }

  void start(ChangeNotifications notifications, long pollMillis, long heartbeatMillis) {
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no"); // proxies must not buffer the stream
    response.write("retry: 2000\n: connected\n\n");
    response.closeHandler(ignored -> end());
    // A node shutting down ends its streams at once; clients resume elsewhere with Last-Event-ID
    // instead of holding the shutdown until its timeout.
    request
        .connection()
        .shutdownHandler(
            ignored -> {
              end();
              response.end();
            });
    response.drainHandler(ignored -> wake());
    stopListening = notifications.listen(schema, () -> context.runOnContext(ignored -> wake()));
    pollTimer = vertx.setPeriodic(pollMillis, ignored -> wake());
    heartbeatTimer =
        vertx.setPeriodic(
            heartbeatMillis,
            ignored -> {
              if (!ended) {
                response.write(": keep-alive\n\n");
              }
            });
    wake();
  }

  private void wake() {
    if (ended) {
      return;
    }
    if (reading || response.writeQueueFull()) {
      wokenWhileReading = reading;
      return; // the running read goes again, or the drain handler wakes us
    }
    reading = true;
    wokenWhileReading = false;
    log.after(schema, collection, cursor, owner, PAGE)
        .onComplete(
            result -> {
              reading = false;
              if (result.failed()) {
                // The collection was dropped, or the database is away: the client reconnects
                // with Last-Event-ID and loses nothing.
                LOG.debug("change stream ends: {}", result.cause().getMessage());
                response.reset();
                end();
                return;
              }
              send(result.result());
              if (result.result().size() == PAGE || wokenWhileReading) {
                wake();
              }
            });
  }

  private void send(List<ChangeLog.Change> changes) {
    if (ended || changes.isEmpty()) {
      return;
    }
    StringBuilder events = new StringBuilder();
    for (ChangeLog.Change change : changes) {
      events
          .append("id: ")
          .append(change.cursor())
          .append("\nevent: ")
          .append(change.op())
          .append("\ndata: ")
          .append(change.data().encode())
          .append("\n\n");
      cursor = change.cursor();
    }
    response.write(events.toString());
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    stopListening.run();
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(heartbeatTimer);
  }
}
