package io.plinth.platform.registry;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one mapping between {@code plinth.tenants} columns and the registry's types. A new limit is a
 * column here (in {@link #LIMITS}, {@link #limits(Row)} and {@link #limitValues}), beside its
 * component in {@link TenantLimits} and its migration.
 */
final class TenantRows {

  /** The limit columns, in the order of {@link TenantLimits}' components. */
  private static final List<String> LIMITS =
      List.of(
          "rate_limit_per_second",
          "rate_limit_per_key",
          "max_rows",
          "max_storage_bytes",
          "max_collections",
          "max_fields",
          "busy_ms_per_second");

  static final String LIMIT_COLUMNS = String.join(", ", LIMITS);

  static final int LIMIT_COUNT = LIMITS.size();

  /** The columns of a {@link TenantIdentity}, as {@link #identity(Row)} reads them. */
  static final String IDENTITY_COLUMNS =
      "identity_mode, identity_keycloak, identity_issuer, identity_audience,"
          + " identity_organization, identity";

  /** Every column of a {@link Tenant}, as {@link #tenant(Row)} reads them. */
  static final String COLUMNS =
      "id, slug, name, plan, "
          + LIMIT_COLUMNS
          + ", status, schema_name, database_id, schema_version, failure, created_at, updated_at,"
          + " "
          + IDENTITY_COLUMNS;

  /** The columns of a {@link TenantEntry}, as {@link #entry(Row)} reads them. */
  static final String ENTRY_COLUMNS =
      "slug, status, schema_name, "
          + LIMIT_COLUMNS
          + ", identity_issuer, identity_audience, identity_organization";

  private TenantRows() {}

  static Tenant tenant(Row row) {
    return new Tenant(
        row.getUUID("id"),
        row.getString("slug"),
        row.getString("name"),
        new Plan(row.getString("plan"), limits(row)),
        status(row),
        row.getString("schema_name"),
        row.getString("database_id"),
        row.getString("schema_version"),
        row.getString("failure"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"),
        identity(row));
  }

  static TenantEntry entry(Row row) {
    return new TenantEntry(
        row.getString("slug"),
        TenantEntry.statusOf(row.getString("status")),
        row.getString("schema_name"),
        limits(row),
        row.getString("identity_issuer"),
        row.getString("identity_audience"),
        row.getString("identity_organization"));
  }

  static TenantLimits limits(Row row) {
    return new TenantLimits(
        row.getInteger("rate_limit_per_second"),
        row.getInteger("rate_limit_per_key"),
        row.getLong("max_rows"),
        row.getLong("max_storage_bytes"),
        row.getInteger("max_collections"),
        row.getInteger("max_fields"),
        row.getInteger("busy_ms_per_second"));
  }

  /** Values for {@link #LIMIT_COLUMNS}, in their order. */
  static List<Object> limitValues(TenantLimits limits) {
    return List.of(
        limits.ratePerSecond(),
        limits.ratePerKeyPerSecond(),
        limits.maxRows(),
        limits.maxStorageBytes(),
        limits.maxCollections(),
        limits.maxFields(),
        limits.busyMsPerSecond());
  }

  /** {@code rate_limit_per_second = $first, …}: every limit set from parameters in order. */
  static String setLimits(int first) {
    return IntStream.range(0, LIMITS.size())
        .mapToObj(i -> LIMITS.get(i) + " = $" + (first + i))
        .collect(Collectors.joining(", "));
  }

  /** {@code $first, …} for {@code count} parameters. */
  static String parameters(int first, int count) {
    return IntStream.range(first, first + count)
        .mapToObj(i -> "$" + i)
        .collect(Collectors.joining(", "));
  }

  private static TenantStatus status(Row row) {
    return TenantStatus.ofWire(row.getString("status")).orElseThrow();
  }

  /** Null when the tenant has no identity mode (made before identity, or without Keycloak). */
  static TenantIdentity identity(Row row) {
    String mode = row.getString("identity_mode");
    if (mode == null) {
      return null;
    }
    Object details = row.getValue("identity");
    return new TenantIdentity(
        IdentityMode.ofWire(mode).orElseThrow(),
        row.getString("identity_keycloak"),
        row.getString("identity_issuer"),
        row.getString("identity_audience"),
        row.getString("identity_organization"),
        details instanceof JsonObject json ? json : null);
  }
}
