package io.plinth.tenantapi.auth;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a key's hash to its tenant and state, with a short-lived in-memory cache so the hot path
 * does not query the registry per request. Unknown keys are cached too (briefly): a checksum can be
 * computed by anyone, so well-formed garbage must not reach the database each time. The cache is
 * bounded; revocation and suspension are seen within the TTL (the cluster issue pushes them).
 */
public final class KeyDirectory {

  /** What the registry says about a key. */
  public record KeyRecord(
      java.util.UUID keyId,
      KeyKind kind,
      OffsetDateTime expiresAt,
      boolean revoked,
      java.util.UUID tenantId,
      String tenantSlug,
      String tenantStatus,
      String schema,
      TenantLimits limits) {}

  private record Entry(Optional<KeyRecord> key, long expiresAtMillis) {}

  static final int MAX_ENTRIES = 100_000;
  private final Pool pool;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public KeyDirectory(Pool pool, Duration ttl, Clock clock) {
    this.pool = pool;
    this.ttl = ttl;
    this.clock = clock;
  }

  public Future<Optional<KeyRecord>> find(ApiKeys.WellFormedKey key) {
    String cacheKey = ApiKeys.hex(key.hash());
    long now = clock.millis();
    Entry cached = cache.get(cacheKey);
    if (cached != null && cached.expiresAtMillis() > now) {
      return Future.succeededFuture(cached.key());
    }
    return pool.preparedQuery(
            "SELECT k.id, k.kind, k.expires_at, k.revoked_at IS NOT NULL AS revoked, t.id AS"
                + " tenant_id, t.slug, t.status, t.schema_name, t.max_collections, t.max_fields FROM plinth.api_keys k JOIN"
                + " plinth.tenants t ON t.id = k.tenant_id WHERE k.hash = $1")
        .execute(Tuple.of(Buffer.buffer(key.hash())))
        .map(
            rows -> {
              Optional<KeyRecord> found =
                  rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next()));
              if (cache.size() >= MAX_ENTRIES) {
                cache.clear(); // crude but bounded; a real eviction policy comes with Hazelcast
              }
              cache.put(cacheKey, new Entry(found, now + ttl.toMillis()));
              return found;
            });
  }

  private static KeyRecord from(Row row) {
    return new KeyRecord(
        row.getUUID("id"),
        KeyKind.ofApiName(row.getString("kind")).orElseThrow(),
        row.getOffsetDateTime("expires_at"),
        row.getBoolean("revoked"),
        row.getUUID("tenant_id"),
        row.getString("slug"),
        row.getString("status"),
        row.getString("schema_name"),
        new TenantLimits(row.getInteger("max_collections"), row.getInteger("max_fields")));
  }
}
