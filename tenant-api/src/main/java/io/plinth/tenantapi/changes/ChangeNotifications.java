package io.plinth.tenantapi.changes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one {@code LISTEN plinth_changes} connection: PostgreSQL notifies it, with the tenant
 * schema as payload, when a write's changes commit, on whichever node wrote them. Listeners of that
 * schema are woken; they read the change log themselves, so a lost notification only delays a
 * change until their next poll.
 */
public final class ChangeNotifications {

  static final String CHANNEL = "plinth_changes";
  private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifications.class);
  private static final long RETRY_MILLIS = 1_000;

  private final Vertx vertx;
  private final PgSubscriber subscriber;
  private final Map<String, Set<Runnable>> bySchema = new ConcurrentHashMap<>();
  private final Set<Consumer<String>> everySchema = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ChangeNotifications(Vertx vertx, PgSubscriber subscriber) {
    this.vertx = vertx;
    this.subscriber = subscriber;
    subscriber.channel(CHANNEL).handler(this::notified);
  }

  /** Connects, and keeps trying in the background when PostgreSQL is not there yet. */
  public void start() {
    subscriber
        .connect()
        .onFailure(
            failure -> {
              if (!closed) {
                LOG.warn("change notifications not connected, retrying: {}", failure.getMessage());
                vertx.setTimer(RETRY_MILLIS, ignored -> start());
              }
            });
  }

  /** Calls {@code wake} on every change in {@code schema} until the returned handle is run. */
  Runnable listen(String schema, Runnable wake) {
    bySchema.computeIfAbsent(schema, s -> ConcurrentHashMap.newKeySet()).add(wake);
    return () ->
        bySchema.computeIfPresent(
            schema,
            (s, listeners) -> {
              listeners.remove(wake);
              return listeners.isEmpty() ? null : listeners;
            });
  }

  /** Calls {@code seen} with the schema of every change notified. */
  void listenToAll(Consumer<String> seen) {
    everySchema.add(seen);
  }

  int listeners() {
    return bySchema.values().stream().mapToInt(Set::size).sum();
  }

  private void notified(String schema) {
    everySchema.forEach(seen -> seen.accept(schema));
    Set<Runnable> listeners = bySchema.get(schema);
    if (listeners != null) {
      listeners.forEach(Runnable::run);
    }
  }

  public Future<Void> close() {
    closed = true;
    return subscriber.close();
  }
}
