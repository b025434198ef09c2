package io.plinth.tenantapi.quotas;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.cluster.ClusterCache;
import io.plinth.platform.cluster.ClusterMaps;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.TenantUsage;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ObjDoubleConsumer;

/**
 * The plan's storage quota: a write is refused (403 {@code quota_exceeded}) while the tenant's
 * tables take as many bytes as its plan allows or more. Deletes are always allowed, so a tenant can
 * get back under. Bytes on disk cannot be counted per write, so they are measured, once per {@link
 * ClusterMaps#USAGE} time-to-live for the whole cluster; a tenant can pass its quota by what it
 * writes in that time.
 */
public final class StorageQuota {

  private final ClusterCache<TenantUsage> usage;
  private final ObjDoubleConsumer<String> measured;

  /**
   * @param measured told, at each check, a tenant's slug and the share of its quota in use
   */
  public StorageQuota(
      HazelcastInstance cluster,
      Vertx vertx,
      Pool pool,
      MeterRegistry meters,
      ObjDoubleConsumer<String> measured) {
    this.measured = measured;
    this.usage =
        new ClusterCache<>(
            cluster,
            ClusterMaps.USAGE,
            vertx,
            key -> TenantUsage.measure(pool, schemaOf(key)).map(Optional::of),
            stored -> stored.toJson().encode(),
            json -> TenantUsage.fromJson(new JsonObject(json)),
            Duration.ZERO,
            meters);
  }

  /** Succeeds when the caller's tenant may store more. */
  public Future<Void> checkWrite(Caller caller) {
    long quota = caller.limits().maxStorageBytes();
    if (quota == Long.MAX_VALUE) {
      return Future.succeededFuture();
    }
    return usage
        .get(caller.tenantId() + "/" + caller.schema())
        .compose(
            found -> {
              found.ifPresent(
                  usage ->
                      measured.accept(caller.tenantSlug(), (double) usage.storageBytes() / quota));
              return found.isPresent() && found.get().storageBytes() >= quota
                  ? Future.<Void>failedFuture(
                      new ProblemException(
                          403,
                          "quota_exceeded",
                          "storage quota exceeded: the plan allows " + quota + " bytes"))
                  : Future.<Void>succeededFuture();
            });
  }

  /** Keys are {@code tenantId/schema}: the tenant first, as every cache key. */
  private static String schemaOf(String key) {
    return key.substring(key.indexOf('/') + 1);
  }
}
