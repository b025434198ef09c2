package io.plinth.provisioning.tenants;

import static io.plinth.platform.db.SqlIdentifiers.quote;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A tenant's PostgreSQL schema: created, migrated by Flyway (one history table in each schema) and
 * dropped. JDBC and Flyway block, so every method runs on a worker thread and returns a future.
 */
public final class TenantSchemas {

  /** Connections one schema operation may hold at once: the lock's and Flyway's two. */
  public static final int CONNECTIONS_PER_OPERATION = 3;

  private final WorkerExecutor workers;
  private final DataSource dataSource;
  private final String[] locations;

  /**
   * @param workers runs the blocking work; its size bounds how many schemas are worked on at once,
   *     and so how many JDBC connections are in use ({@link #CONNECTIONS_PER_OPERATION} each)
   */
  public TenantSchemas(WorkerExecutor workers, DataSource dataSource, List<String> locations) {
    this.workers = workers;
    this.dataSource = dataSource;
    this.locations = locations.toArray(String[]::new);
  }

  public Future<Void> create(String schema) {
    return blocking(() -> execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema)));
  }

  public Future<Void> drop(String schema) {
    return blocking(() -> execute("DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE"));
  }

  /**
   * Applies pending migrations to one schema while holding that schema's advisory lock, so two
   * nodes (or a fleet run and a create) never migrate the same schema at once.
   *
   * @return the schema's version afterwards
   */
  public Future<String> migrate(String schema) {
    return workers.executeBlocking(
        () -> {
          try (Connection lock = dataSource.getConnection()) {
            advisory(lock, "SELECT pg_advisory_lock(hashtextextended(?, 0))", schema);
            try {
              MigrateResult result =
                  Flyway.configure()
                      .dataSource(dataSource)
                      .schemas(schema)
                      .defaultSchema(schema)
                      .createSchemas(false)
                      .locations(locations)
                      .failOnMissingLocations(true)
                      .cleanDisabled(true)
                      .loggers("slf4j")
                      .load()
                      .migrate();
              return result.targetSchemaVersion != null
                  ? result.targetSchemaVersion
                  : result.initialSchemaVersion;
            } finally {
              advisory(lock, "SELECT pg_advisory_unlock(hashtextextended(?, 0))", schema);
            }
          }
        },
        false);
  }

  private static void advisory(Connection c, String sql, String schema) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, "plinth.schema:" + schema);
      st.execute();
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private Future<Void> blocking(SqlAction action) {
    return workers.executeBlocking(
        () -> {
          action.run();
          return null;
        },
        false);
  }

  @FunctionalInterface
  private interface SqlAction {
    void run() throws SQLException;
  }
}
