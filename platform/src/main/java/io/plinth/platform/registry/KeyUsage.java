package io.plinth.platform.registry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when keys were last used without a database write per request: uses are kept in memory
 * (one entry per key, the latest time) and written in one statement per interval. A crash loses at
 * most one interval of {@code last_used_at} precision, never a key.
 */
public final class KeyUsage {

  private static final Logger LOG = LoggerFactory.getLogger(KeyUsage.class);
  private static final HexFormat HEX = HexFormat.of();

  private final Pool pool;

  /** A registry table with {@code hash bytea} and {@code last_used_at} columns. */
  private final String table;

  private final Map<String, Long> lastUse = new ConcurrentHashMap<>();

  private KeyUsage(Pool pool, String table) {
    this.pool = pool;
    this.table = table;
  }

  /** Uses of tenants' API keys ({@code plinth.api_keys}). */
  public static KeyUsage ofApiKeys(Pool pool) {
    return new KeyUsage(pool, "plinth.api_keys");
  }

  /** Uses of operator keys ({@code plinth.operator_keys}). */
  public static KeyUsage ofOperatorKeys(Pool pool) {
    return new KeyUsage(pool, "plinth.operator_keys");
  }

  /** Notes a use of the key with this hash, now. Cheap: a map update. */
  public void used(byte[] keyHash) {
    lastUse.merge(HEX.formatHex(keyHash), System.currentTimeMillis(), Math::max);
  }

  /** Writes what was recorded every {@code interval}, until Vert.x closes. */
  public void flushEvery(Vertx vertx, Duration interval) {
    vertx.setPeriodic(interval.toMillis(), id -> flush());
  }

  /** Number of keys with uses not yet written. */
  int pending() {
    return lastUse.size();
  }

  /** Writes every recorded use in one statement; uses recorded meanwhile wait for the next one. */
  public Future<Integer> flush() {
    if (lastUse.isEmpty()) {
      return Future.succeededFuture(0);
    }
    java.util.List<Buffer> hashes = new java.util.ArrayList<>();
    java.util.List<OffsetDateTime> times = new java.util.ArrayList<>();
    for (String hash : java.util.List.copyOf(lastUse.keySet())) {
      Long at = lastUse.remove(hash);
      if (at != null) {
        hashes.add(Buffer.buffer(HEX.parseHex(hash)));
        times.add(OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(at), ZoneOffset.UTC));
      }
    }
    return pool.preparedQuery(
            "UPDATE "
                + table
                + " k SET last_used_at = u.at FROM unnest($1::bytea[], $2::timestamptz[]) AS u(hash,"
                + " at) WHERE k.hash = u.hash AND (k.last_used_at IS NULL OR k.last_used_at <"
                + " u.at)")
        .execute(
            // (Object): a second array would otherwise be spread as the varargs of Tuple.of
            Tuple.of(hashes.toArray(Buffer[]::new), (Object) times.toArray(OffsetDateTime[]::new)))
        .map(rows -> rows.rowCount())
        .onFailure(
            e -> {
              // Put the uses back so the next flush tries again.
              for (int i = 0; i < hashes.size(); i++) {
                lastUse.merge(
                    HEX.formatHex(hashes.get(i).getBytes()),
                    times.get(i).toInstant().toEpochMilli(),
                    Math::max);
              }
              LOG.warn("key usage not written yet {}", kv("reason", e.getMessage()));
            });
  }
}
