package io.plinth.tenantapi.auth;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.cluster.ClusterCache;
import io.plinth.platform.cluster.ClusterMaps;
import io.plinth.platform.identity.TokenExpectation;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.RegistryInvalidations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
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
  public record KeyRecord(
      UUID keyId,
      KeyKind kind,
      OffsetDateTime expiresAt,
      boolean revoked,
      UUID tenantId,
      String tenantSlug,
      String tenantStatus,
      String schema,
      TenantLimits limits,
      Optional<TokenExpectation> userTokens) {}

  /** How long an unknown key is remembered as unknown. */
  static final Duration UNKNOWN_TTL = Duration.ofSeconds(10);

  private final Pool pool;
  private final ClusterCache<JsonObject> keys;
  private final ClusterCache<JsonObject> tenants;

  public KeyDirectory(Pool pool, HazelcastInstance cluster, Vertx vertx, MeterRegistry meters) {
    this.pool = pool;
    this.keys =
        new ClusterCache<>(
            cluster,
            ClusterMaps.API_KEYS,
            vertx,
            this::loadKey,
            JsonObject::encode,
            JsonObject::new,
            UNKNOWN_TTL,
            meters);
    this.tenants =
        new ClusterCache<>(
            cluster,
            ClusterMaps.TENANTS,
            vertx,
            this::loadTenant,
            JsonObject::encode,
            JsonObject::new,
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
              JsonObject k = found.get();
              UUID tenantId = UUID.fromString(k.getString("tenantId"));
              return tenants
                  .get(RegistryInvalidations.tenantKey(tenantId))
                  .map(tenant -> tenant.map(t -> record(k, tenantId, t)));
            });
  }

  private static KeyRecord record(JsonObject key, UUID tenantId, JsonObject tenant) {
    String expiresAt = key.getString("expiresAt");
    return new KeyRecord(
        UUID.fromString(key.getString("id")),
        KeyKind.ofApiName(key.getString("kind")).orElseThrow(),
        expiresAt == null ? null : OffsetDateTime.parse(expiresAt),
        key.getBoolean("revoked"),
        tenantId,
        tenant.getString("slug"),
        tenant.getString("status"),
        tenant.getString("schema"),
        new TenantLimits(
            tenant.getInteger("requestsPerSecond"),
            tenant.getInteger("requestsPerKeyPerSecond"),
            tenant.getInteger("maxCollections"),
            tenant.getInteger("maxFields"),
            // A tenant cached by a node of an older version has no quotas: unbounded until reread.
            tenant.getLong("maxRows", Long.MAX_VALUE),
            tenant.getLong("maxStorageBytes", Long.MAX_VALUE),
            tenant.getInteger("busyMsPerSecond", 0)),
        userTokens(tenant));
  }

  /**
   * What the tenant's end users' tokens must say; empty (every token refused) when it has no issuer
   * or audience, or was cached by a node of an older version, which did not read them.
   */
  static Optional<TokenExpectation> userTokens(JsonObject tenant) {
    String issuer = tenant.getString("identityIssuer");
    String audience = tenant.getString("identityAudience");
    if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        new TokenExpectation(issuer, audience, tenant.getString("identityOrganization")));
  }

  private Future<Optional<JsonObject>> loadKey(String hashHex) {
    return pool.preparedQuery(
            "SELECT id, kind, expires_at, revoked_at IS NOT NULL AS revoked, tenant_id FROM"
                + " plinth.api_keys WHERE hash = $1")
        .execute(Tuple.of(Buffer.buffer(HexFormat.of().parseHex(hashHex))))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              OffsetDateTime expiresAt = row.getOffsetDateTime("expires_at");
              return Optional.of(
                  new JsonObject()
                      .put("id", row.getUUID("id").toString())
                      .put("kind", row.getString("kind"))
                      .put("expiresAt", expiresAt == null ? null : expiresAt.toString())
                      .put("revoked", row.getBoolean("revoked"))
                      .put("tenantId", row.getUUID("tenant_id").toString()));
            });
  }

  private Future<Optional<JsonObject>> loadTenant(String tenantId) {
    return pool.preparedQuery(
            "SELECT slug, status, schema_name, rate_limit_per_second, rate_limit_per_key,"
                + " max_collections, max_fields, max_rows, max_storage_bytes, busy_ms_per_second,"
                + " identity_issuer, identity_audience, identity_organization FROM plinth.tenants"
                + " WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(tenantId)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new JsonObject()
                      .put("slug", row.getString("slug"))
                      .put("status", row.getString("status"))
                      .put("schema", row.getString("schema_name"))
                      .put("requestsPerSecond", row.getInteger("rate_limit_per_second"))
                      .put("requestsPerKeyPerSecond", row.getInteger("rate_limit_per_key"))
                      .put("maxCollections", row.getInteger("max_collections"))
                      .put("maxFields", row.getInteger("max_fields"))
                      .put("maxRows", row.getLong("max_rows"))
                      .put("maxStorageBytes", row.getLong("max_storage_bytes"))
                      .put("busyMsPerSecond", row.getInteger("busy_ms_per_second"))
                      .put("identityIssuer", row.getString("identity_issuer"))
                      .put("identityAudience", row.getString("identity_audience"))
                      .put("identityOrganization", row.getString("identity_organization")));
            });
  }
}
