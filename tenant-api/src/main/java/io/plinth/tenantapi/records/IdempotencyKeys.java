package io.plinth.tenantapi.records;

import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.keys.ApiKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Record inserts sent with an {@code Idempotency-Key}, in the tenant schema's {@code
 * plinth_idempotency_keys} (tenant migration V4). An insert claims its key in its own transaction
 * before it writes and stores its response before it commits, so the key is kept exactly when the
 * records are. A concurrent request with the same key waits on the claimed row until that
 * transaction ends, then reads its response (or, if it rolled back, inserts itself): the records
 * are inserted once. Only inserts that succeed are kept; a failed one rolls its key back, and a
 * retry runs again. Keys are kept {@link #RETENTION}; an older one counts as unused.
 */
public final class IdempotencyKeys {

  /** How long a key and its response are kept. */
  public static final Duration RETENTION = Duration.ofHours(24);

  /** 1 to 255 visible ASCII characters. */
  private static final Pattern WELL_FORMED = Pattern.compile("[\\x21-\\x7e]{1,255}");

  /** A client's key for one request: the key, and the hash of what the request asks. */
  public record Key(String key, byte[] requestHash) {}

  private final Pool pool;

  public IdempotencyKeys(Pool pool) {
    this.pool = pool;
  }

  /**
   * The {@code Idempotency-Key} header of an insert into {@code collection}, by the end user {@code
   * owner} (null: none), with this body; empty without the header. The request hash covers all
   * three: the same key from another user or for another collection is another request.
   *
   * @throws ProblemException 400 {@code invalid_idempotency_key} for a malformed key
   */
  public static Optional<Key> of(String header, String collection, String owner, Object body) {
    if (header == null) {
      return Optional.empty();
    }
    if (!WELL_FORMED.matcher(header).matches()) {
      throw new ProblemException(
          400,
          "invalid_idempotency_key",
          "Idempotency-Key must be 1 to 255 visible ASCII characters");
    }
    String request =
        new JsonArray().add(collection).add(owner).add(body).encode(); // JSON: unambiguous
    return Optional.of(new Key(header, ApiKeys.sha256(request)));
  }

  /**
   * Claims the key in the transaction {@code tx}: empty when it is this request's to use (unused,
   * or older than {@link #RETENTION}); else the records an earlier request with the same key and
   * body inserted, once that request's transaction has ended.
   *
   * @throws ProblemException 422 {@code idempotency_key_reused} when the earlier request differs
   */
  static Future<Optional<List<JsonObject>>> claim(SqlClient tx, String schema, Key key) {
    String table = table(schema);
    return tx.preparedQuery(
            "INSERT INTO "
                + table
                + " AS k (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET"
                + " request_hash = excluded.request_hash, status = NULL, response = NULL,"
                + " created_at = now() WHERE k.created_at < now() - make_interval(secs => $3)"
                + " RETURNING key")
        .execute(
            Tuple.of(key.key(), Buffer.buffer(key.requestHash()), (double) RETENTION.toSeconds()))
        .compose(
            claimed ->
                claimed.size() > 0
                    ? Future.succeededFuture(Optional.empty())
                    : tx.preparedQuery(
                            "SELECT request_hash, response FROM " + table + " WHERE key = $1")
                        .execute(Tuple.of(key.key()))
                        .map(rows -> Optional.of(earlier(rows.iterator().next(), key))));
  }

  /** Keeps the response of the request that claimed the key, in its transaction. */
  static Future<Void> keep(SqlClient tx, String schema, Key key, List<JsonObject> inserted) {
    return tx.preparedQuery(
            "UPDATE " + table(schema) + " SET status = 201, response = $2 WHERE key = $1")
        .execute(Tuple.of(key.key(), new JsonArray(new ArrayList<>(inserted)).encode()))
        .mapEmpty();
  }

  /** Deletes the schema's keys older than {@link #RETENTION}. */
  public Future<Void> prune(String schema) {
    return pool.preparedQuery(
            "DELETE FROM "
                + table(schema)
                + " WHERE created_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) RETENTION.toSeconds()))
        .mapEmpty();
  }

  private static List<JsonObject> earlier(Row row, Key key) {
    if (!MessageDigest.isEqual(row.getBuffer("request_hash").getBytes(), key.requestHash())) {
      throw new ProblemException(
          422,
          "idempotency_key_reused",
          "this Idempotency-Key was used for a different request in the last 24 hours");
    }
    JsonArray response = new JsonArray(row.getString("response"));
    List<JsonObject> records = new ArrayList<>();
    response.forEach(record -> records.add((JsonObject) record));
    return records;
  }

  private static String table(String schema) {
    return SqlIdentifiers.qualified(schema, "plinth_idempotency_keys");
  }
}
