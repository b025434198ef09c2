package io.plinth.platform.registry;

import io.plinth.platform.db.SqlStates;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates made with an {@code Idempotency-Key}: per actor and key, a hash of the request and the
 * tenant it made, so that a retry gets that tenant again.
 */
public final class IdempotentRequests {

  /** An earlier request: its hash and the tenant it made. */
  public record Earlier(byte[] requestHash, UUID tenantId) {}

  private final Pool pool;

  public IdempotentRequests(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records the request, in the transaction that inserts its tenant.
   *
   * @throws ProblemException 409 {@code idempotency_key_used} (in the future) when the actor used
   *     the key before
   */
  public Future<Void> record(
      SqlClient client, String actor, String key, byte[] requestHash, UUID tenantId) {
    return client
        .preparedQuery(
            "INSERT INTO plinth.idempotent_requests (actor, key, request_hash, tenant_id) VALUES"
                + " ($1, $2, $3, $4)")
        .execute(Tuple.of(actor, key, Buffer.buffer(requestHash), tenantId))
        .<Void>mapEmpty()
        .recover(
            SqlStates.translate(
                SqlStates.UNIQUE_VIOLATION,
                () ->
                    new ProblemException(
                        409, "idempotency_key_used", "this Idempotency-Key was used before")));
  }

  /** The request this actor made with this key. */
  public Future<Optional<Earlier>> find(String actor, String key) {
    return pool.preparedQuery(
            "SELECT request_hash, tenant_id FROM plinth.idempotent_requests WHERE actor = $1 AND"
                + " key = $2")
        .execute(Tuple.of(actor, key))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              var row = rows.iterator().next();
              return Optional.of(new Earlier(row.getBuffer(0).getBytes(), row.getUUID(1)));
            });
  }
}
