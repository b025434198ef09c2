package io.plinth.platform.registry;

import io.plinth.platform.keys.KeyKind;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What every node caches of an API key ({@code ClusterMaps.API_KEYS}, by hash): its kind, expiry,
 * whether it is revoked, and its tenant. Its JSON keeps the member names earlier versions wrote:
 * nodes of two versions share the cache during a rolling upgrade.
 */
public record KeyEntry(
    UUID id, KeyKind kind, OffsetDateTime expiresAt, boolean revoked, UUID tenantId) {

  /** As the cache stores it. */
  public String encode() {
    return toJson().encode();
  }

  /** From the cache, as any version stored it. */
  public static KeyEntry decode(String encoded) {
    return fromJson(new JsonObject(encoded));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("kind", kind.apiName())
        .put("expiresAt", expiresAt == null ? null : expiresAt.toString())
        .put("revoked", revoked)
        .put("tenantId", tenantId.toString());
  }

  static KeyEntry fromJson(JsonObject json) {
    String expiresAt = json.getString("expiresAt");
    return new KeyEntry(
        UUID.fromString(json.getString("id")),
        KeyKind.ofApiName(json.getString("kind")).orElseThrow(),
        expiresAt == null ? null : OffsetDateTime.parse(expiresAt),
        json.getBoolean("revoked"),
        UUID.fromString(json.getString("tenantId")));
  }
}
