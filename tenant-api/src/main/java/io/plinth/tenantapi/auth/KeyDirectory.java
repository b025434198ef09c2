package io.plinth.tenantapi.auth;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.cluster.ClusterCache;
import io.plinth.platform.cluster.ClusterMaps;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.registry.KeyEntry;
import io.plinth.platform.registry.RegistryEntries;
import io.plinth.platform.registry.RegistryInvalidations;
import io.plinth.platform.registry.TenantEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Resolves a key's hash to its tenant and state through two cluster caches (see {@link
 * ClusterCache}): the key (kind, expiry, revocation, tenant id) and its tenant (status, schema,
 * limits), so a suspension invalidates one tenant entry, not every key of it. The control plane
 * invalidates both on change ({@link RegistryInvalidations}). A key whose tenant cannot be found
 * fails closed. Unknown keys are cached briefly: a checksum can be computed by anyone, so
 * well-formed garbage must not reach the database each time. The tenant's identity columns (issuer,
 * audience, organization) travel with it: they say what its end users' tokens must carry.
 */
public final class KeyDirectory {

  /** What the registry says about a key and its tenant. */
  public record KeyRecord(KeyEntry key, TenantEntry tenant) {}

  /** How long an unknown key is remembered as unknown. */
  static final Duration UNKNOWN_TTL = Duration.ofSeconds(10);

  private final ClusterCache<KeyEntry> keys;
  private final ClusterCache<TenantEntry> tenants;

  public KeyDirectory(
      RegistryEntries registry, HazelcastInstance cluster, Vertx vertx, MeterRegistry meters) {
    this.keys =
        new ClusterCache<>(
            cluster,
            ClusterMaps.API_KEYS,
            vertx,
            hashHex -> registry.key(HexFormat.of().parseHex(hashHex)),
            KeyEntry::encode,
            KeyEntry::decode,
            UNKNOWN_TTL,
            meters);
    this.tenants =
        new ClusterCache<>(
            cluster,
            ClusterMaps.TENANTS,
            vertx,
            tenantId -> registry.tenant(UUID.fromString(tenantId)),
            TenantEntry::encode,
            TenantEntry::decode,
            UNKNOWN_TTL,
            meters);
  }

  public Future<Optional<KeyRecord>> find(ApiKeys.WellFormedKey key) {
    return keys.get(RegistryInvalidations.apiKeyKey(key.hash()))
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
              }
              KeyEntry k = found.get();
              return tenants
                  .get(RegistryInvalidations.tenantKey(k.tenantId()))
                  .map(tenant -> tenant.map(t -> new KeyRecord(k, t)));
            });
  }
}
