package io.plinth.platform.registry;

import io.plinth.platform.identity.TokenExpectation;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * What every node caches of a tenant ({@code ClusterMaps.TENANTS}) to admit its keys: status,
 * schema, limits, and what its end users' tokens must carry (issuer, audience, organization).
 *
 * <p>Its JSON keeps the member names earlier versions wrote: nodes of two versions share the cache
 * during a rolling upgrade. A limit an older node left out is no limit until the entry is read
 * again.
 */
public record TenantEntry(
    String slug,
    TenantStatus status,
    String schema,
    TenantLimits limits,
    String identityIssuer,
    String identityAudience,
    String identityOrganization) {

  /** Limits whose cached member is named otherwise than in {@link TenantLimits#toJson()}. */
  private static final Map<String, String> CACHED_NAMES =
      Map.of(
          "ratePerSecond", "requestsPerSecond", "ratePerKeyPerSecond", "requestsPerKeyPerSecond");

  /**
   * What the tenant's end users' tokens must say; empty (every token refused) when it has no issuer
   * or audience, or was cached by a node of an older version, which did not read them.
   */
  public Optional<TokenExpectation> userTokens() {
    if (identityIssuer == null
        || identityIssuer.isBlank()
        || identityAudience == null
        || identityAudience.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        new TokenExpectation(identityIssuer, identityAudience, identityOrganization));
  }

  /** As the cache stores it. */
  public String encode() {
    return toJson().encode();
  }

  /** From the cache, as any version stored it. */
  public static TenantEntry decode(String encoded) {
    return fromJson(new JsonObject(encoded));
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject().put("slug", slug).put("status", status.wire()).put("schema", schema);
    limits.toJson().forEach(limit -> json.put(cachedName(limit.getKey()), limit.getValue()));
    return json.put("identityIssuer", identityIssuer)
        .put("identityAudience", identityAudience)
        .put("identityOrganization", identityOrganization);
  }

  static TenantEntry fromJson(JsonObject json) {
    JsonObject limits = new JsonObject();
    for (String name : TenantLimits.NONE.toJson().fieldNames()) {
      Object value = json.getValue(cachedName(name));
      if (value != null) {
        limits.put(name, value);
      }
    }
    return new TenantEntry(
        json.getString("slug"),
        statusOf(json.getString("status")),
        json.getString("schema"),
        TenantLimits.fromJson(limits, TenantLimits.NONE),
        json.getString("identityIssuer"),
        json.getString("identityAudience"),
        json.getString("identityOrganization"));
  }

  /**
   * A status a newer version wrote, unknown to this one, is read as {@code failed}: the tenant's
   * keys are refused, as they are in every status but active and suspended.
   */
  static TenantStatus statusOf(String wire) {
    return TenantStatus.ofWire(wire).orElse(TenantStatus.FAILED);
  }

  private static String cachedName(String limit) {
    return CACHED_NAMES.getOrDefault(limit, limit);
  }
}
