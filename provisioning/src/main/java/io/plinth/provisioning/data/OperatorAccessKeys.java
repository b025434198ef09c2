package io.plinth.provisioning.data;

import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.Tenant;
import io.plinth.provisioning.keys.NewKey;
import io.plinth.provisioning.keys.TenantKeys;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret keys the control plane uses on the data plane for operators, one per tenant: issued
 * through {@link TenantKeys} (so it is listed with the tenant's keys, as {@value #NAME}), valid for
 * {@link #LIFETIME}, kept in this node's memory only and replaced once less than {@link
 * #RENEW_BEFORE} of it is left, so a request never goes out with a key about to expire. Concurrent
 * requests for a tenant share one issuance. The plaintext is never logged nor stored.
 */
public final class OperatorAccessKeys {

  public static final String NAME = "console (operator access)";
  static final Duration LIFETIME = Duration.ofHours(1);
  static final Duration RENEW_BEFORE = Duration.ofMinutes(10);

  /** A key this node holds: its plaintext and when it expires. */
  private record Held(String plaintext, OffsetDateTime expiresAt) {
    @Override
    public String toString() {
      return "Held[expiresAt=" + expiresAt + "]"; // never the plaintext
    }
  }

  private final TenantKeys keys;
  private final Clock clock;
  private final Map<UUID, Future<Held>> held = new ConcurrentHashMap<>();

  public OperatorAccessKeys(TenantKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** The key to use for the tenant now: the held one, or a new one when it is near its end. */
  public Future<String> keyFor(Tenant tenant) {
    return held.compute(tenant.id(), (id, current) -> usable(current) ? current : issue(tenant))
        .map(Held::plaintext);
  }

  /** Drops the tenant's key when it is {@code plaintext} (the data plane refused it). */
  public void forget(Tenant tenant, String plaintext) {
    held.computeIfPresent(
        tenant.id(),
        (id, current) ->
            current.succeeded() && current.result().plaintext().equals(plaintext) ? null : current);
  }

  private boolean usable(Future<Held> current) {
    if (current == null || current.failed()) {
      return false;
    }
    return !current.isComplete()
        || current.result().expiresAt().isAfter(OffsetDateTime.now(clock).plus(RENEW_BEFORE));
  }

  private Future<Held> issue(Tenant tenant) {
    OffsetDateTime expiresAt = OffsetDateTime.now(clock).plus(LIFETIME);
    return keys.create(tenant.slug(), new NewKey(KeyKind.SECRET, NAME, Optional.of(expiresAt)))
        .map(created -> new Held(created.plaintext(), created.key().expiresAt()));
  }
}
