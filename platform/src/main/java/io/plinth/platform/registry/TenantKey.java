package io.plinth.platform.registry;

import io.plinth.platform.keys.KeyKind;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A tenant's API key as stored: its metadata, never the key itself (the registry keeps only its
 * hash). {@link #toJson()} is the admin API's view of it.
 */
public record TenantKey(
    UUID id,
    UUID tenantId,
    KeyKind kind,
    String name,
    String prefix,
    OffsetDateTime createdAt,
    OffsetDateTime expiresAt,
    OffsetDateTime revokedAt,
    OffsetDateTime lastUsedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("kind", kind.apiName())
        .put("name", name)
        .put("prefix", prefix)
        .put("createdAt", createdAt.toString())
        .put("expiresAt", expiresAt == null ? null : expiresAt.toString())
        .put("revokedAt", revokedAt == null ? null : revokedAt.toString())
        .put("lastUsedAt", lastUsedAt == null ? null : lastUsedAt.toString());
  }
}
