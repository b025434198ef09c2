package io.plinth.platform.registry;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * What the data plane reads of the registry to admit a key, as its nodes cache it: the key's entry
 * by hash, and its tenant's entry by id; and where a tenant's end users sign in. Reads only; the
 * control plane changes the rows and invalidates the entries ({@link RegistryInvalidations}).
 */
public final class RegistryEntries {

  private final Pool pool;

  public RegistryEntries(Pool pool) {
    this.pool = pool;
  }

  /** The key with this SHA-256 hash, revoked and expired ones included. */
  public Future<Optional<KeyEntry>> key(byte[] hash) {
    return pool.preparedQuery(
            "SELECT " + KeyRows.ENTRY_COLUMNS + " FROM plinth.api_keys WHERE hash = $1")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(KeyRows.entry(rows.iterator().next())));
  }

  /** The tenant with this id, whatever its status. */
  public Future<Optional<TenantEntry>> tenant(UUID id) {
    return pool.preparedQuery(
            "SELECT " + TenantRows.ENTRY_COLUMNS + " FROM plinth.tenants WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(TenantRows.entry(rows.iterator().next())));
  }

  /**
   * Where the tenant's end users sign in, as the identity step recorded it; empty when the tenant
   * is not found or has no identity mode (made without Keycloak, or before identity existed).
   */
  public Future<Optional<TenantIdentity>> identity(UUID tenantId) {
    return pool.preparedQuery(
            "SELECT " + TenantRows.IDENTITY_COLUMNS + " FROM plinth.tenants WHERE id = $1")
        .execute(Tuple.of(tenantId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.ofNullable(TenantRows.identity(rows.iterator().next())));
  }
}
