package io.plinth.provisioning.tenants;

import io.plinth.platform.db.SqlStates;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.RegistryInvalidations;
import io.plinth.platform.registry.TenantUsage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenant rows in the registry. Every query uses an index; none scans all tenants. */
public final class TenantRepository {

  private final Pool pool;
  private final RegistryInvalidations invalidations;

  public TenantRepository(Pool pool, RegistryInvalidations invalidations) {
    this.pool = pool;
    this.invalidations = invalidations;
  }

  /**
   * Inserts a tenant in status {@code provisioning}.
   *
   * @throws ProblemException 409 {@code tenant_exists} (in the future) when the slug is taken
   */
  public Future<Tenant> insert(
      SqlClient client, UUID id, String slug, String name, Plan plan, TenantIdentity identity) {
    return client
        .preparedQuery(
            "INSERT INTO plinth.tenants (id, slug, name, plan, rate_limit_per_second,"
                + " rate_limit_per_key, max_rows, max_storage_bytes, max_collections, max_fields,"
                + " busy_ms_per_second, status, schema_name, identity_mode, identity_issuer,"
                + " identity_audience, identity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                + " $11, 'provisioning', $12, $13, $14, $15, $16) RETURNING "
                + Tenant.COLUMNS)
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    id,
                    slug,
                    name,
                    plan.name(),
                    plan.ratePerSecond(),
                    plan.ratePerKeyPerSecond(),
                    plan.maxRows(),
                    plan.maxStorageBytes(),
                    plan.maxCollections(),
                    plan.maxFields(),
                    plan.busyMsPerSecond(),
                    Tenant.schemaFor(slug),
                    identity == null ? null : identity.mode().wire(),
                    identity == null ? null : identity.issuer(),
                    identity == null ? null : identity.audience(),
                    identity == null ? null : identity.details())))
        .recover(
            failure ->
                SqlStates.is(failure, SqlStates.UNIQUE_VIOLATION)
                    ? Future.failedFuture(
                        new ProblemException(
                            409, "tenant_exists", "a tenant with slug '" + slug + "' exists"))
                    : Future.failedFuture(failure))
        .map(rows -> Tenant.from(rows.iterator().next()));
  }

  /** The tenant with this slug that is not deleted. */
  public Future<Optional<Tenant>> findLive(String slug) {
    return pool.preparedQuery(
            "SELECT "
                + Tenant.COLUMNS
                + " FROM plinth.tenants WHERE slug = $1 AND status <> 'deleted'")
        .execute(Tuple.of(slug))
        .map(TenantRepository::first);
  }

  public Future<Optional<Tenant>> findById(UUID id) {
    return pool.preparedQuery("SELECT " + Tenant.COLUMNS + " FROM plinth.tenants WHERE id = $1")
        .execute(Tuple.of(id))
        .map(TenantRepository::first);
  }

  /** A page of tenants in id (creation) order after {@code after}, optionally of one status. */
  public Future<List<Tenant>> page(Optional<TenantStatus> status, Optional<UUID> after, int limit) {
    String sql =
        "SELECT "
            + Tenant.COLUMNS
            + " FROM plinth.tenants WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL"
            + " OR id > $2) AND status <> 'deleted' ORDER BY id LIMIT $3";
    if (status.isPresent()) {
      // With a status the (status, id) index serves the order directly.
      sql =
          "SELECT "
              + Tenant.COLUMNS
              + " FROM plinth.tenants WHERE status = $1 AND ($2::uuid IS NULL OR id > $2)"
              + " ORDER BY status, id LIMIT $3";
    }
    return pool.preparedQuery(sql)
        .execute(Tuple.of(status.map(TenantStatus::wire).orElse(null), after.orElse(null), limit))
        .map(
            rows -> {
              List<Tenant> page = new ArrayList<>();
              rows.forEach(row -> page.add(Tenant.from(row)));
              return page;
            });
  }

  /**
   * Moves a tenant from one status to another; empty when it was not in {@code from}. Every node's
   * cached view of the tenant is invalidated before this completes, so suspension and deletion
   * reach the data plane at once.
   */
  public Future<Optional<Tenant>> transition(
      UUID id, List<TenantStatus> from, TenantStatus to, String failure) {
    return pool.preparedQuery(
            "UPDATE plinth.tenants SET status = $2, failure = $4, updated_at = now() WHERE id = $1"
                + " AND status = ANY($3) RETURNING "
                + Tenant.COLUMNS)
        .execute(
            Tuple.of(
                id,
                to.wire(),
                from.stream().map(TenantStatus::wire).toArray(String[]::new),
                failure))
        .map(TenantRepository::first)
        .compose(this::invalidated);
  }

  /**
   * Moves a tenant to another plan, copying its limits; every node's cached view of the tenant is
   * invalidated before this completes, so the data plane enforces the new limits at once.
   */
  public Future<Optional<Tenant>> changePlan(UUID id, Plan plan) {
    return pool.preparedQuery(
            "UPDATE plinth.tenants SET plan = $2, rate_limit_per_second = $3, rate_limit_per_key ="
                + " $4, max_rows = $5, max_storage_bytes = $6, max_collections = $7, max_fields ="
                + " $8, busy_ms_per_second = $9, updated_at = now() WHERE id = $1 AND status <>"
                + " 'deleted' RETURNING "
                + Tenant.COLUMNS)
        .execute(
            Tuple.from(
                List.of(
                    id,
                    plan.name(),
                    plan.ratePerSecond(),
                    plan.ratePerKeyPerSecond(),
                    plan.maxRows(),
                    plan.maxStorageBytes(),
                    plan.maxCollections(),
                    plan.maxFields(),
                    plan.busyMsPerSecond())))
        .map(TenantRepository::first)
        .compose(this::invalidated);
  }

  /** The changed tenant, once every node's cached view of it is invalidated. */
  private Future<Optional<Tenant>> invalidated(Optional<Tenant> changed) {
    return changed.isEmpty()
        ? Future.succeededFuture(changed)
        : invalidations.tenantChanged(changed.get().id()).map(changed);
  }

  /**
   * Records the tenant's identity as the identity step made it (the instance stays as placed), and
   * invalidates every node's cached view, so the data plane verifies its tokens at once.
   */
  public Future<Void> setIdentity(UUID id, TenantIdentity identity) {
    return pool.preparedQuery(
            "UPDATE plinth.tenants SET identity_keycloak = $2, identity_issuer = $3,"
                + " identity_audience = $4, identity_organization = $5, identity = $6, updated_at"
                + " = now() WHERE id = $1")
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    id,
                    identity.keycloak(),
                    identity.issuer(),
                    identity.audience(),
                    identity.organization(),
                    identity.details())))
        .compose(ignored -> invalidations.tenantChanged(id));
  }

  public Future<Void> setSchemaVersion(UUID id, String version) {
    return pool.preparedQuery(
            "UPDATE plinth.tenants SET schema_version = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, version))
        .mapEmpty();
  }

  /** Tenants whose provisioning or deletion did not finish (a crash, a restart). */
  public Future<List<Tenant>> unfinished() {
    return pool.query(
            "SELECT "
                + Tenant.COLUMNS
                + " FROM plinth.tenants WHERE status IN ('provisioning', 'deleting') ORDER BY id")
        .execute()
        .map(
            rows -> {
              List<Tenant> list = new ArrayList<>();
              rows.forEach(row -> list.add(Tenant.from(row)));
              return list;
            });
  }

  /** What the tenant stores: rows and bytes on disk. */
  public Future<TenantUsage> usage(String schema) {
    return TenantUsage.measure(pool, schema);
  }

  private static Optional<Tenant> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Tenant.from(rows.iterator().next()));
  }
}
