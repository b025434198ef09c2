package io.plinth.provisioning.keys;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.KeyRepository;
import io.plinth.platform.registry.KeyRepository.CreatedKey;
import io.plinth.platform.registry.Tenant;
import io.plinth.platform.registry.TenantKey;
import io.plinth.platform.registry.TenantStatus;
import io.plinth.provisioning.tenants.TenantLifecycle;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's API keys as operators manage them: issue, list, revoke. Failures come back as {@link
 * ProblemException} with the status the client gets: 404 {@code tenant_not_found} for a slug that
 * names no live tenant, 409 {@code invalid_status} for keys of a tenant that is not active or
 * suspended, 404 {@code key_not_found} for a key the tenant does not have.
 */
public final class TenantKeys {

  private final TenantLifecycle lifecycle;
  private final KeyRepository keys;

  public TenantKeys(TenantLifecycle lifecycle, KeyRepository keys) {
    this.lifecycle = lifecycle;
    this.keys = keys;
  }

  /** Issues a key; the result holds its plaintext, for the one response that shows it. */
  public Future<CreatedKey> create(String slug, NewKey key) {
    return lifecycle
        .get(slug)
        .compose(TenantKeys::live)
        .compose(
            tenant ->
                keys.create(
                    keys.pool(),
                    tenant.id(),
                    key.kind(),
                    key.name(),
                    key.expiresAt().orElse(null)));
  }

  /** Every key of the tenant, revoked ones too. */
  public Future<List<TenantKey>> list(String slug) {
    return lifecycle.get(slug).compose(tenant -> keys.list(tenant.id()));
  }

  /** Revokes a key; every node refuses it once this completes. Revoking twice is fine. */
  public Future<Void> revoke(String slug, UUID id) {
    return lifecycle
        .get(slug)
        .compose(tenant -> keys.revoke(tenant.id(), id))
        .compose(
            revoked ->
                revoked.isPresent()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new ProblemException(404, "key_not_found", "no key " + id)));
  }

  /** Keys are issued for tenants whose schema is complete: active or suspended. */
  private static Future<Tenant> live(Tenant tenant) {
    return tenant.status() == TenantStatus.ACTIVE || tenant.status() == TenantStatus.SUSPENDED
        ? Future.succeededFuture(tenant)
        : Future.failedFuture(
            new ProblemException(
                409,
                "invalid_status",
                "tenant '" + tenant.slug() + "' is " + tenant.status().wire()));
  }
}
