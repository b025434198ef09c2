package io.plinth.tenantapi.records;

import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.tenantapi.collections.CollectionDdl;

/**
 * Records every write in the schema's {@code plinth_changes} in the same statement as the write (a
 * data-modifying CTE), so a change is committed exactly when its write is, with no extra round
 * trip. The change feed reads them back.
 */
final class ChangeCapture {

  private ChangeCapture() {}

  /**
   * A CTE for a statement whose CTE {@code r} returned the written rows: records them as changes of
   * kind {@code op}. For deletes {@code r} needs only id and owner. The statement then ends with
   * {@link #WRITTEN} or a {@link RowCounting} select.
   */
  static String recording(String schema, String collection, String op) {
    String record = op.equals("delete") ? "NULL::jsonb" : "to_jsonb(r)";
    return ", c AS (INSERT INTO "
        + SqlIdentifiers.quote(schema)
        + ".plinth_changes (collection, op, record_id, owner, record) SELECT "
        + CollectionDdl.stringLiteral(collection)
        + ", '"
        + op
        + "', r.id, r.owner, "
        + record
        + " FROM r)";
  }

  /** Ends a statement by returning the written rows (r's columns are those its RETURNING names). */
  static final String WRITTEN = " SELECT * FROM r";
}
