package io.plinth.platform.registry;

import io.plinth.platform.ids.Uuids;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenants' API keys in the registry: created with their hash only, listed, revoked. A revocation
 * invalidates every node's cached view of the key before it completes.
 */
public final class KeyRepository {

  private final Pool pool;
  private final RegistryInvalidations invalidations;

  public KeyRepository(Pool pool, RegistryInvalidations invalidations) {
    this.pool = pool;
    this.invalidations = invalidations;
  }

  /** A key just created: what is stored, and the plaintext for the one response that shows it. */
  public record CreatedKey(TenantKey key, String plaintext) {
    public JsonObject toJson() {
      return key.toJson().put("key", plaintext);
    }

    @Override
    public String toString() {
      return "CreatedKey[" + key + "]"; // never the plaintext
    }
  }

  public Future<CreatedKey> create(
      SqlClient client, UUID tenantId, KeyKind kind, String name, OffsetDateTime expiresAt) {
    ApiKeys.GeneratedKey generated = ApiKeys.generate(kind);
    return client
        .preparedQuery(
            "INSERT INTO plinth.api_keys (id, tenant_id, kind, name, prefix, hash, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "
                + KeyRows.COLUMNS)
        .execute(
            Tuple.of(
                Uuids.timeOrdered(),
                tenantId,
                kind.apiName(),
                name,
                generated.displayPrefix(),
                Buffer.buffer(generated.hash()),
                expiresAt))
        .map(rows -> new CreatedKey(KeyRows.key(rows.iterator().next()), generated.plaintext()));
  }

  /** The pool, for a key created outside a transaction. */
  public Pool pool() {
    return pool;
  }

  public Future<List<TenantKey>> list(UUID tenantId) {
    return pool.preparedQuery(
            "SELECT " + KeyRows.COLUMNS + " FROM plinth.api_keys WHERE tenant_id = $1 ORDER BY id")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              List<TenantKey> keys = new ArrayList<>();
              rows.forEach(row -> keys.add(KeyRows.key(row)));
              return keys;
            });
  }

  /**
   * Revokes a key of this tenant; empty when there is no such key. Revoking twice is fine. Every
   * node's cached view of the key is invalidated before this completes.
   */
  public Future<Optional<TenantKey>> revoke(UUID tenantId, UUID keyId) {
    return pool.preparedQuery(
            "UPDATE plinth.api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND"
                + " tenant_id = $2 RETURNING hash, "
                + KeyRows.COLUMNS)
        .execute(Tuple.of(keyId, tenantId))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.<TenantKey>empty());
              }
              Row row = rows.iterator().next();
              return invalidations
                  .apiKeyChanged(row.getBuffer("hash").getBytes())
                  .map(Optional.of(KeyRows.key(row)));
            });
  }

  /** Removes every key of a tenant (rollback of a failed provisioning, deletion). */
  public Future<Void> deleteAll(SqlClient client, UUID tenantId) {
    return client
        .preparedQuery("DELETE FROM plinth.api_keys WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .mapEmpty();
  }
}
