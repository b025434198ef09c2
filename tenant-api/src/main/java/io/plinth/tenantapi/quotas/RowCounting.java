package io.plinth.tenantapi.quotas;

import io.plinth.platform.db.SqlIdentifiers;

/**
 * Keeps the tenant's row count (its schema's {@code plinth_usage}, see the tenant migration V3) in
 * step with its writes: the statement that inserts or deletes counts what it wrote, so the count
 * commits or rolls back with the write. Inserting past the plan's row quota fails the statement
 * with SQLSTATE {@value io.plinth.platform.db.SqlStates#QUOTA_EXCEEDED}, and nothing is written.
 * Dropping a collection counts its rows off ({@link
 * io.plinth.tenantapi.collections.CollectionDdl#countRowsOff}).
 */
public final class RowCounting {

  private RowCounting() {}

  /** Ends a statement whose CTE {@code r} inserted rows: counts them, then returns them. */
  public static String added(String schema, long maxRows) {
    return counted(schema, "count(*), " + maxRows);
  }

  /** Ends a statement whose CTE {@code r} deleted rows: counts them off, then returns them. */
  public static String removed(String schema) {
    return counted(schema, "-count(*), 0");
  }

  /** A statement of its own that counts {@code rows} inserted earlier in its transaction. */
  public static String adding(String schema, long rows, long maxRows) {
    return "SELECT "
        + SqlIdentifiers.quote(schema)
        + ".plinth_count_rows("
        + rows
        + ", "
        + maxRows
        + ")";
  }

  private static String counted(String schema, String arguments) {
    return " SELECT r.* FROM r, (SELECT "
        + SqlIdentifiers.quote(schema)
        + ".plinth_count_rows("
        + arguments
        + ") FROM r) counted";
  }
}
