package io.plinth.platform.registry;

import io.plinth.platform.db.SqlStates;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Tenant rows in the registry. Every query uses an index; none scans all tenants. A change the data
 * plane must see at once (status, plan, identity) invalidates every node's cached view of the
 * tenant before it completes.
 */
public final class TenantRepository {

  private static final String SELECT = "SELECT " + TenantRows.COLUMNS + " FROM plinth.tenants";

  private static final String INSERT =
      "INSERT INTO plinth.tenants (id, slug, name, plan, "
          + TenantRows.LIMIT_COLUMNS
          + ", schema_name, identity_mode, identity_issuer, identity_audience, identity, status)"
          + " VALUES ("
          + TenantRows.parameters(1, 4 + TenantRows.LIMIT_COUNT + 5)
          + ", 'provisioning') RETURNING "
          + TenantRows.COLUMNS;

  private static final String CHANGE_PLAN =
      "UPDATE plinth.tenants SET plan = $2, "
          + TenantRows.setLimits(3)
          + ", updated_at = now() WHERE id = $1 AND status <> 'deleted' RETURNING "
          + TenantRows.COLUMNS;

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
    List<Object> values = new ArrayList<>(List.of(id, slug, name, plan.name()));
    values.addAll(TenantRows.limitValues(plan.limits()));
    values.addAll(
        Arrays.asList(
            Tenant.schemaFor(slug),
            identity == null ? null : identity.mode().wire(),
            identity == null ? null : identity.issuer(),
            identity == null ? null : identity.audience(),
            identity == null ? null : identity.details()));
    return client
        .preparedQuery(INSERT)
        .execute(Tuple.from(values))
        .recover(
            SqlStates.translate(
                SqlStates.UNIQUE_VIOLATION,
                () ->
                    new ProblemException(
                        409, "tenant_exists", "a tenant with slug '" + slug + "' exists")))
        .map(rows -> TenantRows.tenant(rows.iterator().next()));
  }

  /** The tenant with this slug that is not deleted. */
  public Future<Optional<Tenant>> findLive(String slug) {
    return pool.preparedQuery(SELECT + " WHERE slug = $1 AND status <> 'deleted'")
        .execute(Tuple.of(slug))
        .map(TenantRepository::first);
  }

  public Future<Optional<Tenant>> findById(UUID id) {
    return pool.preparedQuery(SELECT + " WHERE id = $1")
        .execute(Tuple.of(id))
        .map(TenantRepository::first);
  }

  /**
   * A page of tenants in id (creation) order after {@code after}: of one status or all but the
   * deleted, and, with {@code search}, only those whose slug or name contains it, ignoring case
   * (served by the trigram index of registry migration V6).
   */
  public Future<List<Tenant>> page(
      Optional<TenantStatus> status, Optional<String> search, Optional<UUID> after, int limit) {
    List<Object> values = new ArrayList<>();
    values.add(after.orElse(null));
    values.add(limit);
    StringBuilder sql = new StringBuilder(SELECT).append(" WHERE ($1::uuid IS NULL OR id > $1)");
    if (search.isPresent()) {
      values.add(containing(search.get()));
      sql.append(" AND (slug ILIKE $3 OR name ILIKE $3)");
    }
    if (status.isPresent()) {
      values.add(status.get().wire());
      // The (status, id) index serves the order directly.
      sql.append(" AND status = $").append(values.size()).append(" ORDER BY status, id");
    } else {
      sql.append(" AND status <> 'deleted' ORDER BY id");
    }
    return pool.preparedQuery(sql.append(" LIMIT $2").toString())
        .execute(Tuple.from(values))
        .map(TenantRepository::all);
  }

  /** An ILIKE pattern matching {@code text} anywhere, its wildcards taken literally. */
  static String containing(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
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
                + TenantRows.COLUMNS)
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
    List<Object> values = new ArrayList<>(List.of(id, plan.name()));
    values.addAll(TenantRows.limitValues(plan.limits()));
    return pool.preparedQuery(CHANGE_PLAN)
        .execute(Tuple.from(values))
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
                Arrays.asList(
                    id,
                    identity.keycloak(),
                    identity.issuer(),
                    identity.audience(),
                    identity.organization(),
                    identity.details())))
        .compose(ignored -> invalidations.tenantChanged(id));
  }

  /**
   * Places the tenant's realm on a Keycloak instance and records it; a tenant keeps its instance
   * once placed. Otherwise {@code choose} picks one from the realms each instance holds (live
   * tenants in realm mode), or fails to refuse. Counting and recording happen in one transaction
   * under one advisory lock, so concurrent placements never overfill an instance.
   *
   * @return the instance
   */
  public Future<String> placeRealm(UUID id, Function<Map<String, Long>, Future<String>> choose) {
    return pool.withTransaction(
        tx ->
            tx.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended('plinth.identity.placement', 0))")
                .execute()
                .compose(
                    locked ->
                        tx.preparedQuery(
                                "SELECT identity_keycloak FROM plinth.tenants WHERE id = $1")
                            .execute(Tuple.of(id)))
                .compose(
                    rows -> {
                      String placed = rows.iterator().next().getString(0);
                      return placed != null
                          ? Future.succeededFuture(placed)
                          : realmsPerInstance(tx)
                              .compose(choose)
                              .compose(chosen -> recordRealmPlacement(tx, id, chosen));
                    }));
  }

  /** Tenant realms each Keycloak instance holds (live tenants in realm mode), by instance name. */
  public Future<Map<String, Long>> realmsPerInstance() {
    return realmsPerInstance(pool);
  }

  private static Future<Map<String, Long>> realmsPerInstance(SqlClient tx) {
    return tx.query(
            "SELECT identity_keycloak, count(*) FROM plinth.tenants WHERE identity_mode = 'realm'"
                + " AND identity_keycloak IS NOT NULL AND status NOT IN ('deleted', 'failed') GROUP"
                + " BY 1")
        .execute()
        .map(
            rows -> {
              Map<String, Long> counts = new HashMap<>();
              rows.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
              return counts;
            });
  }

  private static Future<String> recordRealmPlacement(SqlClient tx, UUID id, String instance) {
    return tx.preparedQuery(
            "UPDATE plinth.tenants SET identity_keycloak = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, instance))
        .map(instance);
  }

  public Future<Void> setSchemaVersion(UUID id, String version) {
    return pool.preparedQuery(
            "UPDATE plinth.tenants SET schema_version = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, version))
        .mapEmpty();
  }

  /** Tenants whose provisioning or deletion did not finish (a crash, a restart). */
  public Future<List<Tenant>> unfinished() {
    return pool.query(SELECT + " WHERE status IN ('provisioning', 'deleting') ORDER BY id")
        .execute()
        .map(TenantRepository::all);
  }

  /** How many tenants are in each status (deleted ones too); statuses with none are left out. */
  public Future<Map<TenantStatus, Long>> countByStatus() {
    return pool.query("SELECT status, count(*) FROM plinth.tenants GROUP BY status")
        .execute()
        .map(
            rows -> {
              Map<TenantStatus, Long> counts = new java.util.EnumMap<>(TenantStatus.class);
              rows.forEach(
                  row ->
                      TenantStatus.ofWire(row.getString(0))
                          .ifPresent(status -> counts.put(status, row.getLong(1))));
              return counts;
            });
  }

  /** What the tenant stores: rows and bytes on disk. */
  public Future<TenantUsage> usage(String schema) {
    return TenantUsage.measure(pool, schema);
  }

  private static Optional<Tenant> first(RowSet<Row> rows) {
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(TenantRows.tenant(rows.iterator().next()));
  }

  private static List<Tenant> all(RowSet<Row> rows) {
    List<Tenant> tenants = new ArrayList<>();
    rows.forEach(row -> tenants.add(TenantRows.tenant(row)));
    return tenants;
  }
}
