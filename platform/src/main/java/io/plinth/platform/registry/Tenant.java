package io.plinth.platform.registry;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A tenant as the registry holds it; {@code identity} is null without an identity mode. {@link
 * #toJson()} is the admin API's view of it.
 */
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

  /** {@code t_} + slug with {@code -} as {@code _}: safe as an identifier by the slug's rules. */
  public static String schemaFor(String slug) {
    return "t_" + slug.replace('-', '_');
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("slug", slug)
            .put("name", name)
            .put("plan", plan.name())
            .put("limits", plan.limits().toJson())
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
