package io.plinth.provisioning.data;

import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.KeyRepository.CreatedKey;
import io.plinth.platform.registry.Tenant;
import io.plinth.provisioning.keys.NewKey;
import io.plinth.provisioning.keys.TenantKeys;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret keys the control plane uses on the data plane for operators, one per tenant: issued
 * through {@link TenantKeys} (so it is listed with the tenant's keys, as {@value #NAME}), valid for
 * {@link #LIFETIME}, kept in this node's memory only and replaced once less than {@link
 * #RENEW_BEFORE} of it is left, so a request never goes out with a key about to expire. Concurrent
 * requests for a tenant share one issuance. A replaced key is revoked as soon as no request that
 * holds it is still in flight, so a tenant has one live operator-access key per control-plane node;
 * {@link #revokeAll} revokes this node's keys when it stops. The plaintext is never logged nor
 * stored.
 */
public final class OperatorAccessKeys {

  public static final String NAME = "console (operator access)";
  static final Duration LIFETIME = Duration.ofHours(1);
  static final Duration RENEW_BEFORE = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(OperatorAccessKeys.class);

  /** Where keys are issued and revoked: the tenant's keys. */
  public interface Issuer {
    Future<CreatedKey> create(String slug, NewKey key);

    Future<Void> revoke(String slug, UUID id);

    static Issuer of(TenantKeys keys) {
      return new Issuer() {
        @Override
        public Future<CreatedKey> create(String slug, NewKey key) {
          return keys.create(slug, key);
        }

        @Override
        public Future<Void> revoke(String slug, UUID id) {
          return keys.revoke(slug, id);
        }
      };
    }
  }

  /** A key held for one request: its plaintext, and {@link #release} once the request is done. */
  public interface Lease {
    String key();

    void release();
  }

  /** A key this node holds, the requests using it, and whether it was replaced. */
  private final class Held {
    final String slug;
    final UUID id;
    final String plaintext;
    final OffsetDateTime expiresAt;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicBoolean retired = new AtomicBoolean();
    final AtomicBoolean revoked = new AtomicBoolean();

    Held(String slug, CreatedKey created) {
      this.slug = slug;
      this.id = created.key().id();
      this.plaintext = created.plaintext();
      this.expiresAt = created.key().expiresAt();
    }

    Lease acquire() {
      inFlight.incrementAndGet();
      AtomicBoolean released = new AtomicBoolean();
      return new Lease() {
        @Override
        public String key() {
          return plaintext;
        }

        @Override
        public void release() {
          if (released.compareAndSet(false, true)
              && inFlight.decrementAndGet() == 0
              && retired.get()) {
            revoke();
          }
        }
      };
    }

    /** No new request gets this key; it is revoked once the last one using it is done. */
    void retire() {
      retired.set(true);
      if (inFlight.get() == 0) {
        revoke();
      }
    }

    Future<Void> revoke() {
      if (!revoked.compareAndSet(false, true)) {
        return Future.succeededFuture();
      }
      return issuer
          .revoke(slug, id)
          .onFailure(
              // Not worth more: it expires within the hour anyway.
              e -> LOG.info("could not revoke a replaced operator-access key", e));
    }

    @Override
    public String toString() {
      return "Held[id=" + id + ", expiresAt=" + expiresAt + "]"; // never the plaintext
    }
  }

  private final Issuer issuer;
  private final Clock clock;
  private final Map<UUID, Future<Held>> held = new ConcurrentHashMap<>();

  public OperatorAccessKeys(Issuer issuer, Clock clock) {
    this.issuer = issuer;
    this.clock = clock;
  }

  /**
   * The key to use for the tenant now: the held one, or a new one when it is near its end (the
   * replaced one is retired). The caller releases the lease when its request is done.
   */
  public Future<Lease> keyFor(Tenant tenant) {
    Lease[] acquired = new Lease[1];
    Future<Held> current =
        held.compute(
            tenant.id(),
            (id, previous) -> {
              if (usable(previous)) {
                if (previous.isComplete()) {
                  // Under the map's lock, so a renewal cannot retire the key between the two.
                  acquired[0] = previous.result().acquire();
                }
                return previous;
              }
              retire(previous);
              return issue(tenant);
            });
    return acquired[0] != null ? Future.succeededFuture(acquired[0]) : current.map(Held::acquire);
  }

  /**
   * Drops and revokes the tenant's key when it is {@code plaintext} (the data plane refused it).
   */
  public void forget(Tenant tenant, String plaintext) {
    held.computeIfPresent(
        tenant.id(),
        (id, current) -> {
          if (current.succeeded() && current.result().plaintext.equals(plaintext)) {
            current.result().retire();
            return null;
          }
          return current;
        });
  }

  /** Revokes every key this node holds, in use or not: for a node that stops serving. */
  public Future<Void> revokeAll() {
    List<Future<Void>> revoking = new ArrayList<>();
    held.forEach(
        (id, current) -> {
          if (held.remove(id, current) && current.succeeded()) {
            revoking.add(current.result().revoke());
          }
        });
    return Future.join(revoking).mapEmpty();
  }

  private void retire(Future<Held> previous) {
    if (previous != null && previous.succeeded()) {
      previous.result().retire();
    }
  }

  private boolean usable(Future<Held> current) {
    if (current == null || current.failed()) {
      return false;
    }
    return !current.isComplete()
        || current.result().expiresAt.isAfter(OffsetDateTime.now(clock).plus(RENEW_BEFORE));
  }

  private Future<Held> issue(Tenant tenant) {
    OffsetDateTime expiresAt = OffsetDateTime.now(clock).plus(LIFETIME);
    return issuer
        .create(tenant.slug(), new NewKey(KeyKind.SECRET, NAME, Optional.of(expiresAt)))
        .map(created -> new Held(tenant.slug(), created));
  }
}
