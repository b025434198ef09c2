package io.plinth.tenantapi.records;

import io.plinth.platform.db.Reads;
import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.platform.db.SqlStates;
import io.plinth.platform.db.WalPosition;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.ids.Uuids;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.FieldDefinition;
import io.plinth.tenantapi.collections.FieldType;
import io.plinth.tenantapi.query.Cursors;
import io.plinth.tenantapi.query.Query;
import io.plinth.tenantapi.query.QueryField;
import io.plinth.tenantapi.query.QuerySql;
import io.plinth.tenantapi.quotas.RowCounting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records of one collection table: SQL with schema-qualified, quoted identifiers and every value a
 * bound parameter. The schema always comes from the authenticated caller. Writes, and the reads
 * that fill the record cache or explain a failed patch, run on the writer; queries, and reads by id
 * without the cache, run where {@link Reads} sends them (a replica, unless they must see a write).
 */
public final class RecordStore {

  private final Pool pool;
  private final Reads reads;

  /** Everything on {@code writer}. */
  public RecordStore(Pool writer) {
    this(writer, Reads.onWriter(writer));
  }

  public RecordStore(Pool writer, Reads reads) {
    this.pool = writer;
    this.reads = reads;
  }

  /** What an insert answers: the records as stored, and whether they are an earlier answer. */
  public record Inserted(List<JsonObject> records, boolean replayed) {}

  /**
   * Inserts all records or none; returns them as stored. Fails with 403 {@code quota_exceeded},
   * inserting none, when the tenant would store more than {@code maxRows} rows.
   */
  public Future<List<JsonObject>> insert(
      String schema,
      CollectionDefinition collection,
      String owner,
      List<Map<String, Object>> records,
      long maxRows) {
    Map<List<String>, List<Tuple>> batches = batches(owner, records);
    // One record is one statement, counted in itself and atomic without a transaction around it
    // (which would cost a BEGIN and a COMMIT more). A batch runs in a transaction.
    if (records.size() == 1) {
      return insertedAndCounted(pool, schema, collection, batches, 1, maxRows)
          .recover(failure -> Future.failedFuture(translate(failure)));
    }
    return pool.withTransaction(
            tx -> insertedAndCounted(tx, schema, collection, batches, records.size(), maxRows))
        .recover(failure -> Future.failedFuture(translate(failure)));
  }

  /**
   * As {@link #insert(String, CollectionDefinition, String, List, long)}, with an idempotency key
   * ({@link IdempotencyKeys}): in one transaction the key is claimed, the records inserted and the
   * answer kept; or, for a key used before with the same request, that request's records come back
   * and nothing is inserted.
   */
  public Future<Inserted> insert(
      String schema,
      CollectionDefinition collection,
      String owner,
      List<Map<String, Object>> records,
      long maxRows,
      IdempotencyKeys.Key key) {
    Map<List<String>, List<Tuple>> batches = batches(owner, records);
    return pool.withTransaction(
            tx ->
                IdempotencyKeys.claim(tx, schema, key)
                    .compose(
                        earlier ->
                            earlier.isPresent()
                                ? Future.succeededFuture(new Inserted(earlier.get(), true))
                                : insertedAndCounted(
                                        tx, schema, collection, batches, records.size(), maxRows)
                                    .compose(
                                        stored ->
                                            IdempotencyKeys.keep(tx, schema, key, stored)
                                                .map(new Inserted(stored, false)))))
        .recover(failure -> Future.failedFuture(translate(failure)));
  }

  /** Records with the same fields share one statement, sent as a batch. */
  private static Map<List<String>, List<Tuple>> batches(
      String owner, List<Map<String, Object>> records) {
    Map<List<String>, List<Tuple>> batches = new LinkedHashMap<>();
    for (Map<String, Object> record : records) {
      List<String> fields = List.copyOf(record.keySet());
      Tuple tuple = Tuple.tuple().addValue(Uuids.timeOrdered()).addValue(owner);
      fields.forEach(f -> tuple.addValue(record.get(f)));
      batches.computeIfAbsent(fields, k -> new ArrayList<>()).add(tuple);
    }
    return batches;
  }

  /**
   * Inserts the batches on {@code client} and counts the {@code count} rows. One record is counted
   * in its own statement. A batch (in a transaction) is counted once, after its rows, so that its
   * statements do not each update the count and hold its row lock for the whole transaction.
   */
  private static Future<List<JsonObject>> insertedAndCounted(
      SqlClient client,
      String schema,
      CollectionDefinition collection,
      Map<List<String>, List<Tuple>> batches,
      int count,
      long maxRows) {
    if (count == 1) {
      return inserted(client, schema, collection, batches, RowCounting.added(schema, maxRows));
    }
    return inserted(client, schema, collection, batches, ChangeCapture.WRITTEN)
        .compose(
            stored ->
                client.query(RowCounting.adding(schema, count, maxRows)).execute().map(stored));
  }

  /** Runs the batches one after another on {@code client}; the rows as stored. */
  private static Future<List<JsonObject>> inserted(
      SqlClient client,
      String schema,
      CollectionDefinition collection,
      Map<List<String>, List<Tuple>> batches,
      String end) {
    Future<List<JsonObject>> chain = Future.succeededFuture(new ArrayList<>());
    for (Map.Entry<List<String>, List<Tuple>> batch : batches.entrySet()) {
      String sql = insertSql(schema, collection, batch.getKey(), end);
      chain =
          chain.compose(
              stored ->
                  client
                      .preparedQuery(sql)
                      .executeBatch(batch.getValue())
                      .map(
                          rows -> {
                            for (RowSet<Row> r = rows; r != null; r = r.next()) {
                              r.forEach(row -> stored.add(toJson(collection, row)));
                            }
                            return stored;
                          }));
    }
    return chain;
  }

  /** The record from the writer: for the record cache, which must never hold a stale record. */
  public Future<Optional<JsonObject>> get(
      String schema, CollectionDefinition collection, UUID id, Optional<String> owner) {
    return get(pool, schema, collection, id, owner);
  }

  /** The record from where {@link Reads} sends a read after {@code after}. */
  public Future<Optional<JsonObject>> read(
      String schema,
      CollectionDefinition collection,
      UUID id,
      Optional<String> owner,
      Optional<WalPosition> after) {
    return reads.run(after, client -> get(client, schema, collection, id, owner));
  }

  private static Future<Optional<JsonObject>> get(
      SqlClient client,
      String schema,
      CollectionDefinition collection,
      UUID id,
      Optional<String> owner) {
    return client
        .preparedQuery(
            "SELECT "
                + columns(collection)
                + " FROM "
                + table(schema, collection.name())
                + " WHERE id = $1 AND ($2::text IS NULL OR owner = $2)")
        .execute(Tuple.of(id, owner.orElse(null)))
        .map(rows -> first(collection, rows));
  }

  /**
   * Merges fields into a record; the record as stored, or empty when there is none (that the owner
   * may see). With {@code expectedVersions}, a record at another version is left alone and the
   * patch fails with 412 {@code version_mismatch}.
   */
  public Future<Optional<JsonObject>> patch(
      String schema,
      CollectionDefinition collection,
      UUID id,
      Map<String, Object> values,
      Optional<List<Long>> expectedVersions,
      Optional<String> owner) {
    StringBuilder sql =
        new StringBuilder("WITH r AS (UPDATE ")
            .append(table(schema, collection.name()))
            .append(" SET ");
    Tuple tuple =
        Tuple.tuple()
            .addValue(id)
            .addValue(owner.orElse(null))
            .addValue(expectedVersions.map(v -> v.toArray(Long[]::new)).orElse(null));
    int index = 4;
    for (Map.Entry<String, Object> value : values.entrySet()) {
      sql.append(SqlIdentifiers.quote(value.getKey())).append(" = $").append(index++).append(", ");
      tuple.addValue(value.getValue());
    }
    sql.append("updated_at = now(), version = version + 1 WHERE id = $1")
        .append(
            " AND ($2::text IS NULL OR owner = $2) AND ($3::bigint[] IS NULL OR version = ANY($3))")
        .append(" RETURNING ")
        .append(columns(collection))
        .append(")")
        .append(ChangeCapture.recording(schema, collection.name(), "update"))
        .append(ChangeCapture.WRITTEN);
    return pool.preparedQuery(sql.toString())
        .execute(tuple)
        .recover(failure -> Future.failedFuture(translate(failure)))
        .compose(
            rows -> {
              Optional<JsonObject> updated = first(collection, rows);
              return updated.isPresent()
                  ? Future.succeededFuture(updated)
                  : notUpdated(schema, collection, id, owner);
            });
  }

  /** Why a patch changed nothing: the record is gone or not the caller's, or at another version. */
  private Future<Optional<JsonObject>> notUpdated(
      String schema, CollectionDefinition collection, UUID id, Optional<String> owner) {
    return get(schema, collection, id, owner)
        .compose(
            current ->
                current.isEmpty()
                    ? Future.succeededFuture(current)
                    : Future.failedFuture(
                        new ProblemException(
                            412,
                            "version_mismatch",
                            "the record changed since the version in If-Match")));
  }

  public Future<Boolean> delete(
      String schema, CollectionDefinition collection, UUID id, Optional<String> owner) {
    return pool.preparedQuery(
            "WITH r AS (DELETE FROM "
                + table(schema, collection.name())
                + " WHERE id = $1 AND ($2::text IS NULL OR owner = $2) RETURNING id, owner)"
                + ChangeCapture.recording(schema, collection.name(), "delete")
                + RowCounting.removed(schema))
        .execute(Tuple.of(id, owner.orElse(null)))
        .map(rows -> rows.size() > 0);
  }

  /**
   * One page of a query: the rows (at most {@code limit}, with only the selected fields), the
   * cursor of the next page when there is one, and the total when asked for; read where {@link
   * Reads} sends a read after {@code after}.
   */
  public Future<JsonObject> query(
      String schema,
      CollectionDefinition collection,
      Query query,
      Optional<String> owner,
      Optional<WalPosition> after) {
    return reads.run(after, client -> query(client, schema, collection, query, owner));
  }

  private static Future<JsonObject> query(
      SqlClient client,
      String schema,
      CollectionDefinition collection,
      Query query,
      Optional<String> owner) {
    if (query.afterRecord().isPresent()) {
      return cursorValues(client, schema, collection, query, owner)
          .compose(values -> query(client, schema, collection, query.after(values), owner));
    }
    QuerySql.Statement select = QuerySql.select(schema, collection.name(), query, owner);
    Future<RowSet<Row>> rows = client.preparedQuery(select.sql()).execute(tuple(select.params()));
    Future<Long> total =
        query.countExact()
            ? countOf(client, QuerySql.count(schema, collection.name(), query, owner))
            : Future.succeededFuture(null);
    return Future.all(rows, total)
        .map(
            done -> {
              JsonArray items = new JsonArray();
              JsonObject last = null;
              int n = 0;
              for (Row row : rows.result()) {
                if (n++ == query.limit()) {
                  break; // the extra row only says that a next page exists
                }
                last = read(row, query.columns());
                items.add(query.project(last));
              }
              boolean more = rows.result().size() > query.limit();
              JsonObject page =
                  new JsonObject()
                      .put("items", items)
                      .put("next", more ? Cursors.next(last, query.order()) : null);
              if (query.countExact()) {
                page.put("total", total.result());
              }
              return page;
            });
  }

  /**
   * The order values of the record a cursor names (one the caller can still see), for a cursor that
   * names it because its values were too long to carry.
   */
  private static Future<List<Object>> cursorValues(
      SqlClient client,
      String schema,
      CollectionDefinition collection,
      Query query,
      Optional<String> owner) {
    List<QueryField> fields = query.order().stream().map(term -> term.field()).toList();
    String columns =
        fields.stream().map(QueryField::sql).collect(java.util.stream.Collectors.joining(", "));
    return client
        .preparedQuery(
            "SELECT "
                + columns
                + " FROM "
                + table(schema, collection.name())
                + " WHERE id = $1 AND ($2::text IS NULL OR owner = $2)")
        .execute(Tuple.of(query.afterRecord().get(), owner.orElse(null)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Cursors.recordGone();
              }
              return Cursors.values(read(rows.iterator().next(), fields), query.order());
            });
  }

  /** A row's fields as record JSON. */
  private static JsonObject read(Row row, List<QueryField> fields) {
    JsonObject json = new JsonObject();
    for (QueryField field : fields) {
      Object value = row.getValue(field.column());
      json.put(field.name(), value == null ? null : field.type().toJson(value));
    }
    return json;
  }

  private static Future<Long> countOf(SqlClient client, QuerySql.Statement count) {
    return client
        .preparedQuery(count.sql())
        .execute(tuple(count.params()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Tuple tuple(List<Object> params) {
    Tuple tuple = Tuple.tuple();
    params.forEach(tuple::addValue);
    return tuple;
  }

  static String table(String schema, String collection) {
    return SqlIdentifiers.qualified(schema, collection);
  }

  /** An insert of one record, its change recorded, ending with {@code end}. */
  private static String insertSql(
      String schema, CollectionDefinition collection, List<String> fields, String end) {
    StringBuilder columns = new StringBuilder("id, owner");
    StringBuilder params = new StringBuilder("$1, $2");
    int index = 3;
    for (String field : fields) {
      columns.append(", ").append(SqlIdentifiers.quote(field));
      params.append(", $").append(index++);
    }
    return "WITH r AS (INSERT INTO "
        + table(schema, collection.name())
        + " ("
        + columns
        + ") VALUES ("
        + params
        + ") RETURNING "
        + columns(collection)
        + ")"
        + ChangeCapture.recording(schema, collection.name(), "insert")
        + end;
  }

  /**
   * The columns of a record, named: never {@code *}. A prepared statement is cached per connection,
   * and one whose {@code *} expanded before a field was added fails afterwards ("cached plan must
   * not change result type"); a column list changes the statement's text with the collection, so
   * each version of it gets its own.
   */
  public static String columns(CollectionDefinition collection) {
    StringBuilder columns = new StringBuilder("id, owner, created_at, updated_at, version");
    for (FieldDefinition field : collection.fields()) {
      columns.append(", ").append(SqlIdentifiers.quote(field.name()));
    }
    return columns.toString();
  }

  private static Optional<JsonObject> first(CollectionDefinition collection, RowSet<Row> rows) {
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(toJson(collection, rows.iterator().next()));
  }

  /** A row as the API shows it: system fields in camelCase, then the collection's fields. */
  public static JsonObject toJson(CollectionDefinition collection, Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getUUID("id").toString())
            .put("owner", row.getString("owner"))
            .put("createdAt", FieldType.formatTimestamp(row.getOffsetDateTime("created_at")))
            .put("updatedAt", FieldType.formatTimestamp(row.getOffsetDateTime("updated_at")))
            .put("version", row.getLong("version"));
    for (FieldDefinition field : collection.fields()) {
      Object value = row.getValue(field.name());
      json.put(field.name(), value == null ? null : field.type().toJson(value));
    }
    return json;
  }

  private static Throwable translate(Throwable failure) {
    if (SqlStates.is(failure, SqlStates.UNIQUE_VIOLATION)) {
      return new ProblemException(409, "unique_violation", "a record with this value exists");
    }
    if (SqlStates.is(failure, SqlStates.QUOTA_EXCEEDED)) {
      return new ProblemException(403, "quota_exceeded", ((PgException) failure).getErrorMessage());
    }
    return failure;
  }
}
