package io.plinth.provisioning.tenants;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant as the registry holds it; {@code identity} is null without an identity mode. */
public record Tenant(
    UUID id,
    String slug,
    String name,
    Plan plan,
    TenantStatus status,
    String schema,
    String database,
    String schemaVersion,
    String failure,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    TenantIdentity identity) {

  /** Every column, in the order {@link #from(Row)} reads them. */
  static final String COLUMNS =
      "id, slug, name, plan, rate_limit_per_second, rate_limit_per_key, max_rows, max_storage_bytes, max_collections,"
          + " max_fields, busy_ms_per_second, status,"
          + " schema_name, database_id, schema_version, failure, created_at, updated_at,"
          + " identity_mode, identity_keycloak, identity_issuer, identity_audience,"
          + " identity_organization, identity";

  /** {@code t_} + slug with {@code -} as {@code _}: safe as an identifier by the slug's rules. */
  public static String schemaFor(String slug) {
    return "t_" + slug.replace('-', '_');
  }

  static Tenant from(Row row) {
    return new Tenant(
        row.getUUID("id"),
        row.getString("slug"),
        row.getString("name"),
        new Plan(
            row.getString("plan"),
            row.getInteger("rate_limit_per_second"),
            row.getInteger("rate_limit_per_key"),
            row.getLong("max_rows"),
            row.getLong("max_storage_bytes"),
            row.getInteger("max_collections"),
            row.getInteger("max_fields"),
            row.getInteger("busy_ms_per_second")),
        TenantStatus.ofWire(row.getString("status")).orElseThrow(),
        row.getString("schema_name"),
        row.getString("database_id"),
        row.getString("schema_version"),
        row.getString("failure"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"),
        TenantIdentity.from(row));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("slug", slug)
            .put("name", name)
            .put("plan", plan.name())
            .put("limits", plan.limitsJson())
            .put("status", status.wire())
            .put("schema", schema)
            .put("database", database)
            .put("schemaVersion", schemaVersion)
            .put("createdAt", createdAt.toString())
            .put("updatedAt", updatedAt.toString())
            .put("identity", identity == null ? null : identity.toJson());
    if (failure != null) {
      json.put("failure", failure);
    }
    return json;
  }
}
