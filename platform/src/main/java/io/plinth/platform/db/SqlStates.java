package io.plinth.platform.db;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.Set;
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

  /**
   * The SQLSTATEs that mean the server is away or cannot take the session now, not that the
   * statement is wrong: 57P01 admin_shutdown (a fast or smart stop), 57P02 crash_shutdown (another
   * backend crashed and the postmaster ended every session), 57P03 cannot_connect_now (starting up,
   * or in crash recovery), 53300 too_many_connections. Class 08 (connection exceptions) counts too.
   */
  private static final Set<String> SERVER_AWAY = Set.of("57P01", "57P02", "57P03", "53300");

  private SqlStates() {}

  /**
   * Whether {@code failure} is PostgreSQL saying it is shutting down, restarting, recovering or out
   * of connections: the request may succeed when sent again, so it is a 503, not a 500.
   */
  public static boolean isServerAway(Throwable failure) {
    if (!(failure instanceof PgException pg) || pg.getSqlState() == null) {
      return false;
    }
    String state = pg.getSqlState();
    return SERVER_AWAY.contains(state) || state.startsWith("08");
  }

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
