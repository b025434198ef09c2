package io.plinth.platform.registry;

import io.plinth.platform.ids.Uuids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** Operators' keys in the registry, by hash only: looked up, counted, the first one stored. */
public final class OperatorKeys {

  private final Pool pool;

  public OperatorKeys(Pool pool) {
    this.pool = pool;
  }

  /** The name of the operator key with this SHA-256 hash; empty when unknown or revoked. */
  public Future<Optional<String>> nameOfLive(byte[] hash) {
    return pool.preparedQuery(
            "SELECT name FROM plinth.operator_keys WHERE hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getString("name")));
  }

  /** How many operator keys are not revoked. */
  public Future<Long> countLive() {
    return pool.query("SELECT count(*) FROM plinth.operator_keys WHERE revoked_at IS NULL")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Stores a key when no operator key exists yet, revoked ones included; several nodes starting at
   * once store it once.
   *
   * @return whether it was stored
   */
  public Future<Boolean> storeFirst(String name, String prefix, byte[] hash) {
    return pool.preparedQuery(
            "INSERT INTO plinth.operator_keys (id, name, prefix, hash) SELECT $1, $2, $3, $4 WHERE"
                + " NOT EXISTS (SELECT 1 FROM plinth.operator_keys) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(Uuids.timeOrdered(), name, prefix, Buffer.buffer(hash)))
        .map(rows -> rows.rowCount() > 0);
  }
}
