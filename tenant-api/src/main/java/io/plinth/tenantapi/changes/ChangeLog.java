package io.plinth.tenantapi.changes;

import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.records.RecordStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and prunes a tenant schema's {@code plinth_changes} (see the tenant migration that creates
 * it for why the order is {@code (xid, seq)}). Only changes of transactions older than every
 * running one are read, so a cursor never passes a change that commits later.
 */
public final class ChangeLog {

  /** One change, as the feed sends it. */
  record Change(ChangeCursor cursor, String op, JsonObject data) {}

  private final Pool pool;

  public ChangeLog(Pool pool) {
    this.pool = pool;
  }

  /** Where a feed that asks for no history starts: after everything already settled. */
  Future<ChangeCursor> now() {
    return pool.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
        .execute()
        .map(rows -> new ChangeCursor(Long.parseLong(rows.iterator().next().getString(0)), 0));
  }

  /**
   * The position before which changes of the collection have been pruned, if any: a cursor before
   * it cannot be resumed without missing changes.
   */
  Future<Optional<ChangeCursor>> horizon(String schema, String collection) {
    return pool.preparedQuery(
            "SELECT xid::text, seq FROM "
                + SqlIdentifiers.quote(schema)
                + ".plinth_changes_horizon WHERE collection = $1")
        .execute(Tuple.of(collection))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(
                        new ChangeCursor(
                            Long.parseLong(rows.iterator().next().getString(0)),
                            rows.iterator().next().getLong(1))));
  }

  /** Up to {@code limit} settled changes after {@code after}, oldest first. */
  Future<List<Change>> after(
      String schema,
      CollectionDefinition collection,
      ChangeCursor after,
      Optional<String> owner,
      int limit) {
    String sql =
        "SELECT "
            + recordColumns(collection)
            + ", c.op AS plinth_op, c.record_id AS plinth_record_id, c.xid::text AS"
            + " plinth_xid, c.seq AS plinth_seq FROM "
            + SqlIdentifiers.quote(schema)
            + ".plinth_changes c LEFT JOIN LATERAL jsonb_populate_record(NULL::"
            + SqlIdentifiers.quote(schema)
            + "."
            + SqlIdentifiers.quote(collection.name())
            + ", c.record) r ON true WHERE c.collection = $1 AND (c.xid, c.seq) > ($2::xid8, $3)"
            + " AND c.xid < pg_snapshot_xmin(pg_current_snapshot())"
            + " AND ($4::text IS NULL OR c.owner = $4) ORDER BY c.xid, c.seq LIMIT $5";
    return pool.preparedQuery(sql)
        .execute(
            Tuple.of(
                collection.name(),
                Long.toString(after.xid()),
                after.seq(),
                owner.orElse(null),
                limit))
        .map(
            rows -> {
              List<Change> changes = new ArrayList<>();
              for (Row row : rows) {
                changes.add(change(collection, row));
              }
              return changes;
            });
  }

  /** The record's columns from {@code r}, named (see {@link RecordStore#columns}). */
  private static String recordColumns(CollectionDefinition collection) {
    StringBuilder columns = new StringBuilder();
    for (String column : RecordStore.columns(collection).split(", ")) {
      columns.append(columns.length() == 0 ? "" : ", ").append("r.").append(column);
    }
    return columns.toString();
  }

  private static Change change(CollectionDefinition collection, Row row) {
    String op = row.getString("plinth_op");
    JsonObject record = op.equals("delete") ? null : RecordStore.toJson(collection, row);
    JsonObject data =
        new JsonObject()
            .put("op", op)
            .put("collection", collection.name())
            .put("id", row.getUUID("plinth_record_id").toString())
            .put("version", record == null ? null : record.getLong("version"))
            .put("record", record);
    return new Change(
        new ChangeCursor(Long.parseLong(row.getString("plinth_xid")), row.getLong("plinth_seq")),
        op,
        data);
  }

  /**
   * Deletes the schema's changes older than {@code retention} and moves each collection's horizon
   * past them, in one transaction. Nodes that try at once skip: one prune per schema is enough.
   */
  public Future<Void> prune(String schema, Duration retention) {
    String changes = SqlIdentifiers.quote(schema) + ".plinth_changes";
    String horizon = SqlIdentifiers.quote(schema) + ".plinth_changes_horizon";
    return pool.withTransaction(
        tx ->
            tx.preparedQuery("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of("plinth.changes.prune:" + schema))
                .compose(
                    locked ->
                        !locked.iterator().next().getBoolean(0)
                            ? Future.succeededFuture()
                            : tx.preparedQuery(
                                    "WITH gone AS (DELETE FROM "
                                        + changes
                                        + " WHERE at < now() - make_interval(secs => $1)"
                                        + " RETURNING collection, xid, seq) INSERT INTO "
                                        + horizon
                                        + " AS h (collection, xid, seq) SELECT DISTINCT ON"
                                        + " (collection)"
                                        + " collection, xid, seq FROM gone ORDER BY collection,"
                                        + " xid DESC, seq DESC ON CONFLICT (collection) DO UPDATE"
                                        + " SET xid = excluded.xid, seq = excluded.seq"
                                        + " WHERE (h.xid, h.seq) < (excluded.xid, excluded.seq)")
                                .execute(Tuple.of((double) retention.toSeconds()))
                                .mapEmpty()));
  }
}
