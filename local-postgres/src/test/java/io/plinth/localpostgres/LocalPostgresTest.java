package io.plinth.localpostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

  // Under /tmp, so nobody can reach it when we are root; JUnit deletes it (root may, though
  // postgres made the files nobody's).
  @TempDir Path dataDirectory;

  @Test
  void runsRealPostgresThatKeepsDataAcrossStopAndStart() throws SQLException {
    LocalPostgres pg = LocalPostgres.builder().dataDirectory(dataDirectory).start();
    try (pg) {
      assertThat(queryString(pg, "select version()")).contains("PostgreSQL 14");
      assertThat(pg.uri("app")).isEqualTo("postgresql://127.0.0.1:" + pg.port() + "/app");
      assertThat(pg.jdbcUrl("app")).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/app");
      execute(pg, "create table notes (note text)", "insert into notes values ('kept')");

      pg.stop();
      assertThatThrownBy(() -> connect(pg).close()).isInstanceOf(SQLException.class);

      pg.start();
      assertThat(queryString(pg, "select note from notes")).isEqualTo("kept");
      assertThat(queryString(pg, "show fsync")).isEqualTo("on");
    }
    pg.close(); // idempotent
    assertThat(dataDirectory.resolve("postmaster.pid")).doesNotExist();
  }

  @Test
  void aCrashKillsEveryProcessAndTheNextStartKeepsWhatWasCommitted() throws Exception {
    try (LocalPostgres pg = LocalPostgres.builder().dataDirectory(dataDirectory).start();
        Connection open = connect(pg)) {
      execute(pg, "create table notes (note text)", "insert into notes values ('committed')");
      long postmaster =
          Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0));
      List<ProcessHandle> server = new ArrayList<>();
      server.add(ProcessHandle.of(postmaster).orElseThrow());
      server.get(0).descendants().forEach(server::add);
      assertThat(server).as("postmaster, its helpers and our backend").hasSizeGreaterThan(2);

      pg.crash();

      assertThat(server).noneMatch(ProcessHandle::isAlive);
      assertThatThrownBy(() -> open.createStatement().execute("select 1"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> connect(pg).close()).isInstanceOf(SQLException.class);

      pg.start(); // crash recovery replays the WAL
      assertThat(queryString(pg, "select note from notes")).isEqualTo("committed");
    }
  }

  @Test
  void newInstanceOverSameDataDirectoryKeepsData() throws SQLException {
    try (LocalPostgres first = LocalPostgres.builder().dataDirectory(dataDirectory).start()) {
      execute(first, "create table notes (note text)", "insert into notes values ('kept')");
    }
    try (LocalPostgres second =
        LocalPostgres.builder().dataDirectory(dataDirectory).durable(false).start()) {
      assertThat(queryString(second, "select note from notes")).isEqualTo("kept");
      // Settings follow the builder on every start, not only when the cluster is created.
      assertThat(queryString(second, "show fsync")).isEqualTo("off");
    }
  }

  @Test
  void asRootRejectsDataDirectoryThatNobodyCannotReach() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root switches to nobody");
    Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));

    assertThatThrownBy(
            () -> LocalPostgres.builder().dataDirectory(dataDirectory.resolve("data")).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(dataDirectory.toString())
        .hasMessageContaining("Pick a data directory outside");
  }

  private static Connection connect(LocalPostgres pg) throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), "");
  }

  private static void execute(LocalPostgres pg, String... statements) throws SQLException {
    try (Connection connection = connect(pg);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static String queryString(LocalPostgres pg, String sql) throws SQLException {
    try (Connection connection = connect(pg);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }
}
