package io.plinth.platform.registry;

import io.plinth.platform.db.SqlIdentifiers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

/**
 * What a tenant stores: its rows (counted exactly by every write, in the schema's {@code
 * plinth_usage}) and the bytes its tables take on disk with their indexes and TOAST (measured). The
 * control plane shows it; the data plane enforces the plan's quotas with it.
 */
public record TenantUsage(long rows, long storageBytes) {

  /**
   * Measures the tenant whose schema is {@code schema} (a name the registry made: {@code t_} and
   * the slug). Each table is found by name through the catalog's name index; filtering pg_class by
   * schema would read the whole catalog, which grows with every tenant.
   */
  public static Future<TenantUsage> measure(SqlClient client, String schema) {
    String quoted = SqlIdentifiers.quote(schema);
    String literal = SqlIdentifiers.literal(schema);
    return client
        .query(
            "SELECT (SELECT coalesce(sum(rows), 0) FROM "
                + quoted
                + ".plinth_usage)::bigint AS rows, (SELECT coalesce(sum(pg_total_relation_size("
                + "to_regclass(format('%I.%I', "
                + literal
                + ", t)))), 0) FROM (SELECT 'plinth_collections' AS t UNION ALL SELECT"
                + " 'flyway_schema_history' UNION ALL SELECT name FROM "
                + quoted
                + ".plinth_collections) tables)::bigint AS storage_bytes")
        .execute()
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new TenantUsage(row.getLong("rows"), row.getLong("storage_bytes"));
            });
  }

  public JsonObject toJson() {
    return new JsonObject().put("rows", rows).put("storageBytes", storageBytes);
  }

  public static TenantUsage fromJson(JsonObject json) {
    return new TenantUsage(json.getLong("rows"), json.getLong("storageBytes"));
  }
}
