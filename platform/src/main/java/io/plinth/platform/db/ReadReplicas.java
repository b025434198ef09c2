package io.plinth.platform.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader pools and what this node last measured of each replica: whether it answers, how far
 * its replay is behind, and how far it has replayed. A replica is in the read rotation while it
 * answers and lags no more than {@code plinth.db.replica-max-lag}; a failed check (or a read that
 * lost its connection) takes it out, and the first check that finds it answering and within the
 * bound puts it back. Before its first check a replica is out: reads go to the writer.
 */
final class ReadReplicas {

  private static final Logger LOG = LoggerFactory.getLogger(ReadReplicas.class);

  /** How often a read waiting for a replica to replay past its token asks again. */
  static final long WAIT_STEP_MS = 5;

  /** Whether a replica takes reads. */
  enum State {
    IN_ROTATION,
    LAGGING,
    DOWN;

    String label() {
      return name().toLowerCase();
    }
  }

  /**
   * The lag (0 when the replica has replayed all it received: an idle primary writes nothing, and
   * an idle replica must not look late) and the replay position of a replica. A server that is no
   * replica (a reader URL pointing at the primary) has no replay position: it has everything.
   */
  private static final String CHECK =
      "SELECT CASE WHEN NOT pg_is_in_recovery()"
          + " OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
          + " ELSE COALESCE((EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
          + " * 1000)::bigint, 0) END, pg_last_wal_replay_lsn()::text";

  private static final String REPLAYED = "SELECT pg_last_wal_replay_lsn()::text";

  /** One replica's pool and its last measurements. */
  static final class Replica {
    final String name;
    final Pool pool;
    final AtomicLong lagMillis = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    private volatile State state = State.DOWN;
    private volatile long lastSample; // written by one check at a time
    private volatile String reason = "not checked yet";
    private final AtomicReference<WalPosition> replayed = new AtomicReference<>(new WalPosition(0));
    private final AtomicReference<Future<Void>> checking = new AtomicReference<>();
    private final AtomicReference<Future<Void>> refreshing = new AtomicReference<>();

    Replica(String name, Pool pool) {
      this.name = name;
      this.pool = pool;
    }

    State state() {
      return state;
    }

    /**
     * The lag two checks in a row saw: a check that falls between a commit's arrival and its replay
     * after an idle spell measures the whole spell (the last replayed commit is that old), for the
     * few milliseconds replay takes; a real lag is still there at the next check.
     */
    private long confirmedLag(long sample) {
      long confirmed = Math.min(sample, lastSample);
      lastSample = sample;
      return confirmed;
    }

    boolean reached(WalPosition position) {
      return replayed.get().reached(position);
    }

    /** Replay only moves forward, so a position once seen stays a safe lower bound. */
    private void replayedTo(String lsn) {
      WalPosition now = lsn == null ? WalPosition.LATEST : WalPosition.parse(lsn).orElse(null);
      if (now != null) {
        replayed.accumulateAndGet(now, (a, b) -> a.reached(b) ? a : b);
      }
    }

    private void become(State next, String why) {
      State before = state;
      state = next;
      reason = why;
      if (before != next && why.isEmpty()) {
        LOG.info("read replica {} is now {}", name, next.label());
      } else if (before != next) {
        LOG.info("read replica {} is now {}: {}", name, next.label(), why);
      }
    }

    JsonObject report() {
      JsonObject entry =
          new JsonObject()
              .put("name", name)
              .put("state", state.label())
              .put("lagSeconds", lagMillis.get() / 1000.0);
      return state == State.IN_ROTATION ? entry : entry.put("reason", reason);
    }
  }

  private final Vertx vertx;
  private final List<Replica> replicas;
  private final Duration maxLag;
  private final Duration checkTimeout;
  private final AtomicInteger next = new AtomicInteger();

  ReadReplicas(Vertx vertx, List<Replica> replicas, Duration maxLag, Duration checkTimeout) {
    this.vertx = vertx;
    this.replicas = replicas;
    this.maxLag = maxLag;
    this.checkTimeout = checkTimeout;
  }

  List<Replica> all() {
    return replicas;
  }

  /** Measures every replica whose last check has finished. */
  void checkAll() {
    for (Replica replica : replicas) {
      Future<Void> running = replica.checking.get();
      if (running == null || running.isComplete()) {
        replica.checking.set(check(replica));
      }
    }
  }

  private Future<Void> check(Replica replica) {
    return replica
        .pool
        .query(CHECK)
        .execute()
        .timeout(checkTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(rows -> rows.iterator().next())
        .<Void>map(
            (Row row) -> {
              long lag = replica.confirmedLag(row.getLong(0));
              replica.lagMillis.set(lag);
              replica.replayedTo(row.getString(1));
              if (lag > maxLag.toMillis()) {
                replica.become(State.LAGGING, "replay is " + lag + " ms behind");
              } else {
                replica.become(State.IN_ROTATION, "");
              }
              return null;
            })
        .recover(
            failure -> {
              replica.become(State.DOWN, reason(failure));
              return Future.succeededFuture();
            });
  }

  /** A read on the replica failed: a lost connection takes it out until its next check. */
  void readFailed(Replica replica, Throwable failure) {
    if (!(failure instanceof PgException)) {
      replica.become(State.DOWN, reason(failure));
    }
  }

  /** A replica in the rotation, round-robin; empty when none is. */
  Optional<Replica> any() {
    return pick(null);
  }

  /**
   * A replica in the rotation that has replayed to {@code position}, asking the replicas again
   * every few milliseconds until {@code waitMs} have passed; empty when none has by then.
   */
  Future<Optional<Replica>> reaching(WalPosition position, long waitMs) {
    Optional<Replica> known = pick(position);
    if (known.isPresent() || position.equals(WalPosition.LATEST) || any().isEmpty()) {
      return Future.succeededFuture(known);
    }
    // The answer comes back on the caller's context: the replica queries it waits on may be shared
    // with readers on other event loops.
    Promise<Optional<Replica>> found = ((ContextInternal) vertx.getOrCreateContext()).promise();
    awaitReplay(position, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs), found);
    return found.future();
  }

  private void awaitReplay(WalPosition position, long deadline, Promise<Optional<Replica>> found) {
    List<Future<Void>> asked =
        replicas.stream()
            .filter(r -> r.state() == State.IN_ROTATION && !r.reached(position))
            .map(this::refreshReplay)
            .toList();
    Future.join(asked)
        .onComplete(
            ignored -> {
              Optional<Replica> replica = pick(position);
              if (replica.isPresent() || any().isEmpty() || System.nanoTime() >= deadline) {
                found.complete(replica);
              } else {
                vertx.setTimer(WAIT_STEP_MS, t -> awaitReplay(position, deadline, found));
              }
            });
  }

  /** Asks a replica how far it has replayed; concurrent askers share one query. */
  private Future<Void> refreshReplay(Replica replica) {
    Future<Void> running = replica.refreshing.get();
    if (running != null && !running.isComplete()) {
      return running;
    }
    Future<Void> asking =
        replica
            .pool
            .query(REPLAYED)
            .execute()
            .timeout(checkTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .<Void>map(
                rows -> {
                  replica.replayedTo(rows.iterator().next().getString(0));
                  return null;
                })
            .recover(
                failure -> {
                  readFailed(replica, failure);
                  return Future.succeededFuture();
                });
    replica.refreshing.set(asking);
    return asking;
  }

  /** Round-robin over the replicas in the rotation (that reached {@code position}, if given). */
  private Optional<Replica> pick(WalPosition position) {
    int start = Math.floorMod(next.getAndIncrement(), Math.max(1, replicas.size()));
    for (int i = 0; i < replicas.size(); i++) {
      Replica replica = replicas.get((start + i) % replicas.size());
      if (replica.state() == State.IN_ROTATION && (position == null || replica.reached(position))) {
        return Optional.of(replica);
      }
    }
    return Optional.empty();
  }

  JsonArray report() {
    JsonArray all = new JsonArray();
    replicas.forEach(replica -> all.add(replica.report()));
    return all;
  }

  /** A short reason without internals: the first line of the failure's message. */
  private static String reason(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
