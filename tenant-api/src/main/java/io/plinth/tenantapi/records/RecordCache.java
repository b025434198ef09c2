package io.plinth.tenantapi.records;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.cluster.ClusterCache;
import io.plinth.platform.cluster.ClusterMaps;
import io.plinth.platform.cluster.ClusterMember;
import io.plinth.platform.cluster.FillBudget;
import io.plinth.platform.db.WalPosition;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.CollectionInvalidations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records by id, cached in the cluster (see {@link ClusterCache}) under keys that carry the tenant
 * and the collection's shape ({@code <tenant id>/<collection>/<definition fingerprint>/<record
 * id>}): a node whose definition is a moment behind a change reads and fills its own entries and
 * never puts a record of the old shape where nodes with the new one look. There is no near cache
 * for records: every read asks the entry's owner, and every write invalidates there before its
 * answer is sent, so after a write is acknowledged no node serves the old record. Records are
 * cached whole; the owner rule is applied to the cached record as the SQL would. Large records are
 * not cached, nor are absent ones (an insert then needs no invalidation). A collection that changes
 * shape or is dropped loses all its cached records. Each tenant may fill a bounded number of
 * entries per node (see {@link FillBudget}), so one tenant cannot push the others' records out.
 */
public final class RecordCache implements CollectionInvalidations {

  /** Records whose JSON is longer stay out of the cache: memory goes to many small, hot rows. */
  static final int MAX_CACHED_CHARS = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(RecordCache.class);
  private final ClusterCache<JsonObject> cache;
  private final RecordStore store;
  private final boolean enabled;

  /** A definition's fingerprint, kept while the definition object is the current one. */
  private record Fingerprint(CollectionDefinition definition, String hex) {}

  /** Bounds the fingerprints kept; past it they start over. */
  static final int MAX_FINGERPRINTS = 10_000;

  private final Map<String, Fingerprint> fingerprints = new ConcurrentHashMap<>();

  /**
   * @param enabled false: every read goes to PostgreSQL and writes invalidate nothing
   * @param tenantEntries records one tenant may fill per node per time-to-live of the map
   */
  public RecordCache(
      RecordStore store,
      HazelcastInstance cluster,
      Vertx vertx,
      MeterRegistry meters,
      boolean enabled,
      int tenantEntries) {
    this.store = store;
    this.enabled = enabled;
    this.cache =
        new ClusterCache<>(
            cluster,
            ClusterMaps.RECORDS,
            vertx,
            key -> Future.failedFuture("records load with their collection"),
            record -> {
              String json = record.encode();
              return json.length() <= MAX_CACHED_CHARS ? json : null;
            },
            JsonObject::new,
            Duration.ZERO,
            FillBudget.perTenant(
                tenantEntries, Duration.ofSeconds(ClusterMember.RECORDS_TTL_SECONDS)),
            meters);
  }

  /**
   * The record, if it exists and {@code owner} (when given) owns it. The cache fills from the
   * writer only (a replica's record could be older than a write already acknowledged); without the
   * cache the read goes where a read after {@code after} may.
   */
  public Future<Optional<JsonObject>> get(
      UUID tenantId,
      String schema,
      CollectionDefinition collection,
      UUID id,
      Optional<String> owner,
      Optional<WalPosition> after) {
    if (!enabled) {
      return store.read(schema, collection, id, owner, after);
    }
    return cache
        .get(
            key(tenantId, collection, id),
            ignored -> store.get(schema, collection, id, Optional.empty()))
        .map(
            found ->
                found.filter(
                    record -> owner.isEmpty() || owner.get().equals(record.getString("owner"))));
  }

  /** After a write to the record committed, before it is acknowledged. */
  public Future<Void> written(UUID tenantId, CollectionDefinition collection, UUID id) {
    if (!enabled) {
      return Future.succeededFuture();
    }
    return cache
        .invalidate(key(tenantId, collection, id))
        .recover(
            failure -> {
              // The write stands; the map's time-to-live bounds how long the old record lives.
              LOG.error("a written record could not be invalidated: {}", failure.getMessage());
              return Future.succeededFuture();
            });
  }

  @Override
  public Future<Void> collectionChanged(UUID tenantId, String collection) {
    if (!enabled) {
      return Future.succeededFuture();
    }
    return cache.invalidateAll(tenantId + "/" + collection + "/");
  }

  private String key(UUID tenantId, CollectionDefinition collection, UUID id) {
    String name = tenantId + "/" + collection.name();
    return name + "/" + fingerprint(name, collection) + "/" + id;
  }

  /**
   * The definition's JSON is the same text on every node, so is its String hash. The collection
   * store hands out one definition object until the collection changes, so the hash is computed
   * once per change rather than per request.
   */
  private String fingerprint(String name, CollectionDefinition collection) {
    Fingerprint known = fingerprints.get(name);
    if (known != null && known.definition() == collection) {
      return known.hex();
    }
    String hex = Integer.toHexString(collection.toJson().encode().hashCode());
    if (fingerprints.size() >= MAX_FINGERPRINTS) {
      fingerprints.clear();
    }
    fingerprints.put(name, new Fingerprint(collection, hex));
    return hex;
  }
}
