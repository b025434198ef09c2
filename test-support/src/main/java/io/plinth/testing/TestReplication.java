package io.plinth.testing;

import io.plinth.localpostgres.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Real streaming replication for a test: a primary and a hot standby of its own, both local servers
 * from the embedded binaries (so both run the same major version), the standby started from a base
 * backup of the primary ({@code pg_basebackup -R}, from the machine's PostgreSQL client tools). The
 * test owns both, so it can hold the standby's replay behind, or stop it and start it again. Not
 * the JVM's shared server of {@link TestPostgres}: replication copies a whole server, and an
 * environment's server cannot be given a standby by a test.
 */
public final class TestReplication implements AutoCloseable {

  /** The database the nodes use, made on the primary and replayed onto the standby. */
  public static final String DATABASE = "plinth";

  private final Path root;
  private final LocalPostgres primary;
  private final LocalPostgres standby;

  private TestReplication(Path root, LocalPostgres primary, LocalPostgres standby) {
    this.root = root;
    this.primary = primary;
    this.standby = standby;
  }

  /**
   * Starts the primary, makes {@link #DATABASE} on it, and starts the standby from a base backup;
   * returns once the standby has replayed the database.
   */
  public static TestReplication start() {
    Path root;
    try {
      root = Files.createTempDirectory("plinth-test-replication-");
      // As root the servers run as nobody, who must be able to pass through to their folders.
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalPostgres primary =
        LocalPostgres.builder().dataDirectory(root.resolve("primary")).durable(false).start();
    // Commits wait for their WAL to be written, so the standby hears of each at once (with
    // synchronous_commit off, as durable(false) sets, the WAL writer sends it up to 200 ms later).
    run(primary, "postgres", "ALTER SYSTEM SET synchronous_commit = on");
    run(primary, "postgres", "SELECT pg_reload_conf()");
    run(primary, "postgres", "CREATE DATABASE " + DATABASE);
    LocalPostgres standby = primary.startStandby(root.resolve("standby"));
    TestReplication replication = new TestReplication(root, primary, standby);
    Eventually.poll(
        Duration.ofSeconds(30),
        () ->
            answer(
                standby, "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'plinth'"),
        "1"::equals);
    return replication;
  }

  /** The primary's database, as the writer of a node's settings. */
  public TestPostgres.Database database() {
    return new TestPostgres.Database(primary.uri(DATABASE), primary.user(), "", DATABASE);
  }

  /** {@code postgresql://…} of the standby's copy of the database. */
  public String standbyUrl() {
    return standby.uri(DATABASE);
  }

  /** Settings of a node that writes to the primary and reads from the standby. */
  public Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>(database().settings());
    settings.put("plinth.db.reader-urls", standbyUrl());
    return settings;
  }

  /** Holds the standby's replay where it is: it keeps receiving WAL but shows nothing new. */
  public void pauseReplay() {
    run(standby, DATABASE, "SELECT pg_wal_replay_pause()");
    Eventually.poll(
        Duration.ofSeconds(10),
        () -> standbyAnswers("SELECT pg_get_wal_replay_pause_state()"),
        "paused"::equals);
  }

  /** Lets the standby replay again; returns once it has caught up with the primary. */
  public void resumeReplay() {
    run(standby, DATABASE, "SELECT pg_wal_replay_resume()");
    awaitCaughtUp();
  }

  /** Returns once the standby has replayed everything the primary has written so far. */
  public void awaitCaughtUp() {
    String target = primaryAnswers("SELECT pg_current_wal_insert_lsn()::text");
    Eventually.poll(
        Duration.ofSeconds(30),
        () -> standbyAnswers("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn"),
        "t"::equals);
  }

  /** Stops the standby (fast shutdown: its sessions are cut), keeping its data. */
  public void stopStandby() {
    standby.stop();
  }

  /** Kills the standby as a crash would ({@code kill -9}), keeping its data. */
  public void killStandby() {
    standby.crash();
  }

  /**
   * Starts the standby again after {@link #stopStandby()} or {@link #killStandby()}, on the same
   * port; it catches up.
   */
  public void startStandby() {
    standby.start();
  }

  /** The first column of the first row of {@code sql} on the standby, as text. */
  public String standbyAnswers(String sql) {
    return answer(standby, DATABASE, sql);
  }

  /** The first column of the first row of {@code sql} on the primary, as text. */
  public String primaryAnswers(String sql) {
    return answer(primary, DATABASE, sql);
  }

  private static String answer(LocalPostgres server, String database, String sql) {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(database), server.user(), "");
        Statement st = c.createStatement();
        ResultSet rows = st.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("on " + server.uri(database) + ": " + sql, e);
    }
  }

  private static void run(LocalPostgres server, String database, String sql) {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(database), server.user(), "");
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("on " + server.uri(database) + ": " + sql, e);
    }
  }

  /** Stops the standby, then the primary, and deletes their data. */
  @Override
  public void close() {
    standby.close();
    primary.close();
    TestFiles.deleteRecursively(root);
  }
}
