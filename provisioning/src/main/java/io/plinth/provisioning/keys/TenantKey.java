package io.plinth.provisioning.keys;

import io.plinth.platform.keys.KeyKind;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's API key as stored: metadata and hash, never the key itself. */
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

  static final String COLUMNS =
      "id, tenant_id, kind, name, prefix, created_at, expires_at, revoked_at, last_used_at";

  static TenantKey from(Row row) {
    return new TenantKey(
        row.getUUID("id"),
        row.getUUID("tenant_id"),
        KeyKind.ofApiName(row.getString("kind")).orElseThrow(),
        row.getString("name"),
        row.getString("prefix"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("expires_at"),
        row.getOffsetDateTime("revoked_at"),
        row.getOffsetDateTime("last_used_at"));
  }

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
