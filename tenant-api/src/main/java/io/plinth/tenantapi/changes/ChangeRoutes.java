package io.plinth.tenantapi.changes;

import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.CollectionStore;
import io.plinth.tenantapi.records.Access;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code GET /v1/collections/{c}/changes}: server-sent events of the collection's inserts, updates
 * and deletes, with the read rule applied (an {@code owner} collection streams only the user's own
 * rows). Without {@code Last-Event-ID} the stream starts now; with one it resumes right after that
 * event, or answers 410 when the changes after it have been pruned.
 */
public final class ChangeRoutes {

  static final long POLL_MILLIS = 1_000;
  static final long HEARTBEAT_MILLIS = 15_000;

  private final CollectionStore collections;
  private final ChangeLog log;
  private final ChangeNotifications notifications;

  public ChangeRoutes(
      CollectionStore collections, ChangeLog log, ChangeNotifications notifications) {
    this.collections = collections;
    this.log = log;
    this.notifications = notifications;
  }

  public void addTo(Router router) {
    router.get("/v1/collections/:collection/changes").handler(this::stream);
  }

  private void stream(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    Optional<ChangeCursor> resumeAfter =
        lastEventId == null || lastEventId.isBlank()
            ? Optional.empty()
            : Optional.of(
                ChangeCursor.parse(lastEventId)
                    .orElseThrow(
                        () ->
                            new ProblemException(
                                400,
                                "invalid_last_event_id",
                                "Last-Event-ID takes the id of an event of this stream")));
    collections
        .get(caller.schema(), ctx.pathParam("collection"))
        .compose(
            collection -> {
              Optional<String> owner = Access.check(collection.rules().read(), caller);
              return start(caller, collection, resumeAfter)
                  .map(
                      cursor ->
                          new ChangeStream(
                              ctx.vertx(),
                              ctx.request(),
                              log,
                              caller.schema(),
                              collection,
                              owner,
                              cursor));
            })
        .onSuccess(stream -> stream.start(notifications, POLL_MILLIS, HEARTBEAT_MILLIS))
        .onFailure(ctx::fail);
  }

  private Future<ChangeCursor> start(
      Caller caller, CollectionDefinition collection, Optional<ChangeCursor> resumeAfter) {
    if (resumeAfter.isEmpty()) {
      return log.now();
    }
    return log.horizon(caller.schema(), collection.name())
        .map(
            horizon -> {
              if (horizon.isPresent() && resumeAfter.get().compareTo(horizon.get()) < 0) {
                throw new ProblemException(
                    410,
                    "change_history_expired",
                    "changes after this event are no longer kept; read the collection again and"
                        + " stream without Last-Event-ID");
              }
              return resumeAfter.get();
            });
  }
}
