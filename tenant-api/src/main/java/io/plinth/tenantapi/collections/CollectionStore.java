package io.plinth.tenantapi.collections;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.cluster.ClusterCache;
import io.plinth.platform.cluster.ClusterMaps;
import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.platform.db.SqlStates;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.TenantLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's collections: real tables in its schema, each recorded in the schema's {@code
 * plinth_collections} table in the same transaction as its DDL, so the two never disagree.
 * Definitions are cached cluster-wide (keyed by schema and name) and invalidated on every member
 * once a change commits.
 */
public final class CollectionStore {

  /** How long a missing collection is remembered as missing (a create invalidates it). */
  static final Duration ABSENT_TTL = Duration.ofSeconds(10);

  private final Pool pool;
  private final ClusterCache<CollectionDefinition> cache;

  public CollectionStore(Pool pool, HazelcastInstance cluster, Vertx vertx, MeterRegistry meters) {
    this.pool = pool;
    this.cache =
        new ClusterCache<>(
            cluster,
            ClusterMaps.COLLECTIONS,
            vertx,
            this::load,
            definition -> definition.toJson().encode(),
            json -> CollectionDefinition.fromJson(new JsonObject(json)),
            ABSENT_TTL,
            meters);
  }

  public Future<JsonArray> list(String schema) {
    return pool.query(
            "SELECT definition FROM "
                + SqlIdentifiers.quote(schema)
                + ".plinth_collections ORDER BY name")
        .execute()
        .map(
            rows -> {
              JsonArray items = new JsonArray();
              rows.forEach(row -> items.add(row.getJsonObject(0)));
              return items;
            });
  }

  /** The collection's definition, or 404 {@code collection_not_found}. */
  public Future<CollectionDefinition> get(String schema, String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      return Future.failedFuture(notFound(name));
    }
    return cache.get(cacheKey(schema, name)).map(found -> found.orElseThrow(() -> notFound(name)));
  }

  /** Cache keys carry the tenant (its schema), so one tenant's entries never serve another. */
  private static String cacheKey(String schema, String name) {
    return schema + "/" + name;
  }

  private Future<Optional<CollectionDefinition>> load(String cacheKey) {
    int slash = cacheKey.indexOf('/');
    String schema = cacheKey.substring(0, slash);
    return pool.preparedQuery(
            "SELECT definition FROM "
                + SqlIdentifiers.quote(schema)
                + ".plinth_collections WHERE name = $1")
        .execute(Tuple.of(cacheKey.substring(slash + 1)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(
                        CollectionDefinition.fromJson(rows.iterator().next().getJsonObject(0))));
  }

  /** Creates the table and records it; 409 when the name is taken, 403 past the plan's limits. */
  public Future<CollectionDefinition> create(
      String schema, TenantLimits limits, CollectionDefinition definition) {
    if (definition.fields().size() > limits.maxFields()) {
      return Future.failedFuture(fieldLimit(limits));
    }
    List<String> ddl = CollectionDdl.create(schema, definition);
    return pool.withTransaction(
            tx ->
                // One collection change at a time per tenant keeps the count check honest.
                tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                    .execute(Tuple.of("plinth.collections:" + schema))
                    .compose(
                        ignored ->
                            tx.query(
                                    "SELECT count(*) FROM "
                                        + SqlIdentifiers.quote(schema)
                                        + ".plinth_collections")
                                .execute())
                    .compose(
                        count ->
                            count.iterator().next().getLong(0) >= limits.maxCollections()
                                ? Future.<Void>failedFuture(
                                    new ProblemException(
                                        403,
                                        "collection_limit",
                                        "the tenant's plan allows "
                                            + limits.maxCollections()
                                            + " collections"))
                                : runAll(tx, withSessionSetup(ddl)))
                    .compose(
                        ignored ->
                            tx.preparedQuery(
                                    "INSERT INTO "
                                        + SqlIdentifiers.quote(schema)
                                        + ".plinth_collections (name, definition) VALUES ($1, $2)")
                                .execute(Tuple.of(definition.name(), definition.toJson()))))
        .recover(failure -> Future.failedFuture(translate(failure, definition.name())))
        .compose(ignored -> cache.invalidate(cacheKey(schema, definition.name())))
        .map(definition);
  }

  /** Drops the table, its record and its change history; 404 when there is none. */
  public Future<Void> delete(String schema, String name) {
    return get(schema, name)
        .compose(
            definition ->
                pool.withTransaction(
                    // The table is locked first, so no insert lands between counting its rows
                    // off the tenant's usage and dropping it.
                    tx ->
                        tx.query(
                                "LOCK TABLE "
                                    + SqlIdentifiers.qualified(schema, name)
                                    + " IN ACCESS EXCLUSIVE MODE")
                            .execute()
                            .compose(
                                locked ->
                                    tx.query(CollectionDdl.countRowsOff(schema, name)).execute())
                            .compose(
                                counted -> tx.query(CollectionDdl.drop(schema, name)).execute())
                            .compose(
                                ignored ->
                                    tx.preparedQuery(
                                            "WITH changes AS (DELETE FROM "
                                                + SqlIdentifiers.quote(schema)
                                                + ".plinth_changes WHERE collection = $1),"
                                                + " horizon AS (DELETE FROM "
                                                + SqlIdentifiers.quote(schema)
                                                + ".plinth_changes_horizon WHERE collection = $1)"
                                                + " DELETE FROM "
                                                + SqlIdentifiers.quote(schema)
                                                + ".plinth_collections WHERE name = $1")
                                        .execute(Tuple.of(name)))))
        .compose(ignored -> cache.invalidate(cacheKey(schema, name)));
  }

  /**
   * Adds, changes rules of, or indexes fields of a collection, DDL and record in one transaction.
   */
  public Future<CollectionDefinition> patch(
      String schema, TenantLimits limits, String name, JsonObject body) {
    return get(schema, name)
        .compose(
            current -> {
              CollectionPatch patch = CollectionPatch.fromJson(body, current);
              CollectionDefinition next = patch.apply(current);
              if (next.fields().size() > limits.maxFields()) {
                return Future.failedFuture(fieldLimit(limits));
              }
              List<String> ddl = new ArrayList<>();
              if (!patch.addFields().isEmpty()) {
                ddl.addAll(CollectionDdl.addFields(schema, name, patch.addFields()));
              }
              patch
                  .indexesToCreate(current)
                  .forEach(f -> ddl.add(CollectionDdl.addIndex(schema, name, f)));
              return pool.withTransaction(
                      tx ->
                          runAll(tx, withSessionSetup(ddl))
                              .compose(
                                  ignored ->
                                      tx.preparedQuery(
                                              "UPDATE "
                                                  + SqlIdentifiers.quote(schema)
                                                  + ".plinth_collections SET definition = $2,"
                                                  + " updated_at = now() WHERE name = $1")
                                          .execute(Tuple.of(name, next.toJson()))))
                  .recover(failure -> Future.failedFuture(translate(failure, name)))
                  .compose(ignored -> cache.invalidate(cacheKey(schema, name)))
                  .map(next);
            });
  }

  private static List<String> withSessionSetup(List<String> ddl) {
    List<String> all = new ArrayList<>();
    all.add(CollectionDdl.SESSION_SETUP);
    all.addAll(ddl);
    return all;
  }

  private static Future<Void> runAll(SqlConnection tx, List<String> statements) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(ignored -> tx.query(sql).execute().mapEmpty());
    }
    return chain;
  }

  private static Throwable translate(Throwable failure, String name) {
    if (SqlStates.is(failure, SqlStates.DUPLICATE_TABLE)
        || SqlStates.is(failure, SqlStates.UNIQUE_VIOLATION)) {
      return new ProblemException(409, "collection_exists", "collection '" + name + "' exists");
    }
    return failure;
  }

  private static ProblemException fieldLimit(TenantLimits limits) {
    return new ProblemException(
        403,
        "field_limit",
        "the tenant's plan allows " + limits.maxFields() + " fields per collection");
  }

  private static ProblemException notFound(String name) {
    return new ProblemException(404, "collection_not_found", "no collection '" + name + "'");
  }
}
