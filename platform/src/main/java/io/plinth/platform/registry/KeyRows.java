package io.plinth.platform.registry;

import io.plinth.platform.keys.KeyKind;
import io.vertx.sqlclient.Row;

/** The one mapping between {@code plinth.api_keys} columns and the registry's types. */
final class KeyRows {

  /** The columns of a {@link TenantKey}, as {@link #key(Row)} reads them. */
  static final String COLUMNS =
      "id, tenant_id, kind, name, prefix, created_at, expires_at, revoked_at, last_used_at";

  /** The columns of a {@link KeyEntry}, as {@link #entry(Row)} reads them. */
  static final String ENTRY_COLUMNS =
      "id, kind, expires_at, revoked_at IS NOT NULL AS revoked, tenant_id";

  private KeyRows() {}

  static TenantKey key(Row row) {
    return new TenantKey(
        row.getUUID("id"),
        row.getUUID("tenant_id"),
        kind(row),
        row.getString("name"),
        row.getString("prefix"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("expires_at"),
        row.getOffsetDateTime("revoked_at"),
        row.getOffsetDateTime("last_used_at"));
  }

  static KeyEntry entry(Row row) {
    return new KeyEntry(
        row.getUUID("id"),
        kind(row),
        row.getOffsetDateTime("expires_at"),
        row.getBoolean("revoked"),
        row.getUUID("tenant_id"));
  }

  private static KeyKind kind(Row row) {
    return KeyKind.ofApiName(row.getString("kind")).orElseThrow();
  }
}
