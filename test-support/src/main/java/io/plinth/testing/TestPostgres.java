package io.plinth.testing;

import io.plinth.localpostgres.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL server of a test JVM, found in this order: the URL in {@code
 * PLINTH_TEST_DATABASE_URL}, a Testcontainers container when a Docker engine answers, else a local
 * server from real binaries (see docs/adr/0003). Each test class asks for a fresh database.
 */
public final class TestPostgres {

  /** {@code postgresql://user:password@host:port/database} of a server tests may use. */
  public static final String URL_VARIABLE = "PLINTH_TEST_DATABASE_URL";

  private static volatile Server server;
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();

  private TestPostgres() {}

  /** A server and the credentials of a user that may create databases. */
  public record Server(
      String host, int port, String user, String password, String database, String source) {
    String jdbcUrl(String db) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }
  }

  /** A database of its own for one test class. */
  public record Database(String url, String user, String password, String name) {
    /** Settings that point a Plinth node at this database. */
    public Map<String, String> settings() {
      return Map.of("plinth.db.url", url, "plinth.db.user", user, "plinth.db.password", password);
    }

    public Connection connect() throws SQLException {
      URI uri = URI.create(url);
      return DriverManager.getConnection(
          "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
          user,
          password);
    }
  }

  public static Server server() {
    Server s = server;
    if (s == null) {
      synchronized (TestPostgres.class) {
        if (server == null) {
          server = start();
          Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropCreated));
        }
        s = server;
      }
    }
    return s;
  }

  /** Creates an empty database on the JVM's server; dropped again when the JVM ends. */
  public static Database newDatabase() {
    Server s = server();
    String name = "plinth_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(s, "CREATE DATABASE " + name);
    CREATED.add(name);
    return new Database(
        "postgresql://" + s.host() + ":" + s.port() + "/" + name, s.user(), s.password(), name);
  }

  private static Server start() {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      return fromUrl(url);
    }
    if (Docker.answers()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new Server(
          container.getHost(),
          container.getMappedPort(5432),
          container.getUsername(),
          container.getPassword(),
          container.getDatabaseName(),
          "testcontainers");
    }
    try {
      Path data = Files.createTempDirectory("plinth-test-pg-");
      LocalPostgres local = LocalPostgres.builder().dataDirectory(data).durable(false).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(local, data)));
      return new Server(local.host(), local.port(), local.user(), "", "postgres", "local binaries");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Server fromUrl(String url) {
    URI uri = URI.create(url);
    String user = "postgres";
    String password = "";
    if (uri.getUserInfo() != null) {
      String[] parts = uri.getUserInfo().split(":", 2);
      user = parts[0];
      password = parts.length > 1 ? parts[1] : "";
    }
    String db =
        uri.getPath() == null || uri.getPath().length() < 2
            ? "postgres"
            : uri.getPath().substring(1);
    return new Server(
        uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password, db, URL_VARIABLE);
  }

  private static void execute(Server s, String sql) {
    try (Connection c =
            DriverManager.getConnection(s.jdbcUrl(s.database()), s.user(), s.password());
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("on the test PostgreSQL (" + s.source() + "): " + sql, e);
    }
  }

  /** Leaves a shared server (environment URL) as it was found. */
  private static void dropCreated() {
    for (String name : CREATED) {
      try {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (RuntimeException e) {
        // The server may already be gone (its own shutdown hook); nothing left to clean then.
      }
    }
  }

  private static void stopAndDelete(LocalPostgres local, Path data) {
    local.close();
    TestFiles.deleteRecursively(data);
  }
}
