package io.plinth.testing;

import io.plinth.localpostgres.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server of one test's own, for tests that crash or stop the database under the
 * services. It always runs from the local binaries, whatever {@link TestPostgres} found: the test
 * must own the process to kill it. It is durable (fsync and synchronous commit on, unlike the
 * shared test server), so a crash keeps exactly what PostgreSQL acknowledged. {@link #close()}
 * stops it and deletes its data.
 */
public final class OwnPostgres implements AutoCloseable {

  private final Path data;
  private final LocalPostgres server;

  private OwnPostgres(Path data, LocalPostgres server) {
    this.data = data;
    this.server = server;
  }

  /** Starts a new server on a free port; returns once it accepts connections. */
  public static OwnPostgres start() {
    try {
      Path data = Files.createTempDirectory("plinth-own-pg-");
      return new OwnPostgres(
          data, LocalPostgres.builder().dataDirectory(data).durable(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates an empty database on this server, for a data plane's settings. */
  public TestPostgres.Database newDatabase(String name) {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), "");
        Statement sql = c.createStatement()) {
      sql.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return new TestPostgres.Database(server.uri(name), server.user(), "", name);
  }

  /** {@code kill -9} of the server, every backend with it; see {@link LocalPostgres#crash()}. */
  public void crash() {
    server.crash();
  }

  /**
   * Starts the server again on the same port and data, after crash recovery; returns once it
   * accepts connections.
   */
  public void restart() {
    server.start();
  }

  @Override
  public void close() {
    server.close();
    TestFiles.deleteRecursively(data);
  }
}
