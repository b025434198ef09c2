package io.plinth.platform.registry;

import com.hazelcast.core.HazelcastInstance;
import io.plinth.platform.cluster.ClusterCache;
import io.plinth.platform.cluster.ClusterMaps;
import io.plinth.platform.keys.ApiKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node that registry state it may have cached has changed: a tenant (status, plan,
 * limits) or an API key (revoked). Called after the change commits. A failed invalidation is logged
 * and otherwise ignored: the caches' time-to-live bounds how long a node can miss it.
 */
public final class RegistryInvalidations {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryInvalidations.class);
  private final HazelcastInstance cluster;
  private final Vertx vertx;

  public RegistryInvalidations(HazelcastInstance cluster, Vertx vertx) {
    this.cluster = cluster;
    this.vertx = vertx;
  }

  /** The cache key of a tenant's registry entry. */
  public static String tenantKey(UUID tenantId) {
    return tenantId.toString();
  }

  /** The cache key of an API key's registry entry: its hash, never the key. */
  public static String apiKeyKey(byte[] hash) {
    return ApiKeys.hex(hash);
  }

  public Future<Void> tenantChanged(UUID tenantId) {
    return invalidate(ClusterMaps.TENANTS, tenantKey(tenantId));
  }

  public Future<Void> apiKeyChanged(byte[] hash) {
    return invalidate(ClusterMaps.API_KEYS, apiKeyKey(hash));
  }

  private Future<Void> invalidate(String map, String key) {
    return ClusterCache.invalidate(cluster, vertx, map, key)
        .recover(
            failure -> {
              LOG.warn("invalidation of {} not sent: {}", map, failure.getMessage());
              return Future.succeededFuture();
            });
  }
}
