package io.plinth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.testing.TestPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The tenant migration that brings the row count (V3): a tenant migrated to it from V2 starts with
 * the rows it already has, and the counting function works whatever the caller's search_path.
 */
class RowUsageMigrationIT {

  private final TestPostgres.Database database = TestPostgres.newDatabase();

  @Test
  void aTenantMigratedFromV2StartsWithTheRowsItHasAndIsHeldToItsQuota() throws Exception {
    try (Connection db = database.connect();
        Statement sql = db.createStatement()) {
      sql.execute("CREATE SCHEMA t_old");
      migrate("2");
      sql.execute(
          "INSERT INTO t_old.plinth_collections (name, definition) VALUES ('a', '{}'), ('b', '{}')");
      sql.execute("CREATE TABLE t_old.a AS SELECT g AS id FROM generate_series(1, 7) g");
      sql.execute("CREATE TABLE t_old.b AS SELECT g AS id FROM generate_series(1, 5) g");

      migrate(null);

      assertThat(rows(sql)).isEqualTo(12);
      sql.execute("SET search_path = public");
      sql.execute("SELECT t_old.plinth_count_rows(3, 20)");
      sql.execute("SELECT t_old.plinth_count_rows(-2, 0)");
      assertThat(rows(sql)).isEqualTo(13);
      assertThatThrownBy(() -> sql.execute("SELECT t_old.plinth_count_rows(8, 20)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("the plan allows 20 rows")
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("PQ001");
      assertThat(rows(sql)).as("the refused addition rolled back").isEqualTo(13);
    }
  }

  private static long rows(Statement sql) throws SQLException {
    try (ResultSet rs = sql.executeQuery("SELECT sum(rows) FROM t_old.plinth_usage")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void migrate(String target) {
    URI uri = URI.create(database.url());
    var flyway =
        Flyway.configure()
            .dataSource(
                "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
                database.user(),
                database.password())
            .schemas("t_old")
            .defaultSchema("t_old")
            .createSchemas(false)
            .locations("classpath:db/tenant");
    if (target != null) {
      flyway.target(target);
    }
    flyway.load().migrate();
  }
}
