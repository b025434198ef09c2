package io.plinth.platform.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a read runs: on a replica when it may, on the writer when it must see a write. A read is a
 * function of the client it is given, so it can be run again on the writer when a replica fails it.
 */
public interface Reads {

  /**
   * Runs {@code read} on a replica that has replayed to {@code after} (any replica in the rotation
   * when empty), or on the writer when none has within {@code plinth.db.read-your-writes-wait}, or
   * when there are no replicas. Only for reads: it may run twice.
   */
  <T> Future<T> run(Optional<WalPosition> after, Function<SqlClient, Future<T>> read);

  /** Every read on {@code writer}: no replicas. */
  static Reads onWriter(Pool writer) {
    return new Reads() {
      @Override
      public <T> Future<T> run(Optional<WalPosition> after, Function<SqlClient, Future<T>> read) {
        return read.apply(writer);
      }
    };
  }
}
