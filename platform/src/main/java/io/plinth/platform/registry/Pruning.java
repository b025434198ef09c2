package io.plinth.platform.registry;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Deletes old rows a bounded batch at a time, so that pruning a day of a big fleet's history never
 * holds locks or writes WAL for millions of rows in one statement.
 */
final class Pruning {

  private Pruning() {}

  /**
   * Deletes up to {@code batch} rows of {@code table} matching {@code where} ($1: {@code before}).
   */
  static Future<Integer> prune(
      SqlClient client, String table, String where, Instant before, int batch) {
    return client
        .preparedQuery(
            "DELETE FROM "
                + table
                + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
                + table
                + " o WHERE "
                + where
                + " LIMIT $2))")
        .execute(Tuple.of(OffsetDateTime.ofInstant(before, ZoneOffset.UTC), batch))
        .map(rows -> rows.rowCount());
  }
}
