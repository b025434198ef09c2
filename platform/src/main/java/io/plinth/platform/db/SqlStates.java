package io.plinth.platform.db;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The PostgreSQL error codes (SQLSTATE) Plinth answers differently from any other failure, in one
 * place. Stores translate them into problems at their boundary; nothing above sees a {@link
 * PgException}.
 */
public final class SqlStates {

  /** 23505: a unique index or constraint refused the row. */
  public static final String UNIQUE_VIOLATION = "23505";

  /** 42P07: the table (or another relation of that name) exists. */
  public static final String DUPLICATE_TABLE = "42P07";

  /** 57014: the statement was cancelled, by statement_timeout here. */
  public static final String QUERY_CANCELED = "57014";

  /**
   * PQ001: Plinth's own, raised by the tenant schema's {@code plinth_count_rows} (tenant migration
   * V3) when a write would take the tenant past its row quota.
   */
  public static final String QUOTA_EXCEEDED = "PQ001";

  private SqlStates() {}

  /** Whether {@code failure} is PostgreSQL's error with this SQLSTATE. */
  public static boolean is(Throwable failure, String sqlState) {
    return failure instanceof PgException pg && sqlState.equals(pg.getSqlState());
  }

  /**
   * For {@code Future.recover}: PostgreSQL's error with this SQLSTATE becomes {@code translated} (a
   * problem, say); any other failure stays as it was.
   */
  public static <T> Function<Throwable, Future<T>> translate(
      String sqlState, Supplier<? extends Throwable> translated) {
    return failure -> Future.failedFuture(is(failure, sqlState) ? translated.get() : failure);
  }
}
