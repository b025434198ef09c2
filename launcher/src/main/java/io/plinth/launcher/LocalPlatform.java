package io.plinth.launcher;

import io.plinth.localkeycloak.LocalKeycloak;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.config.ConfigException;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.config.Settings;
import io.plinth.platform.server.PlinthMain;
import io.plinth.platform.server.PlinthNode;
import io.plinth.platform.server.PlinthService;
import io.plinth.provisioning.ProvisioningService;
import io.plinth.provisioning.ProvisioningSettings;
import io.plinth.provisioning.identity.IdentitySettings;
import io.plinth.tenantapi.TenantApiService;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine: a local PostgreSQL and a local Keycloak (unless external ones
 * are configured), the control plane and the data plane, both members of one Hazelcast cluster on
 * loopback.
 */
public final class LocalPlatform {

  static final String DATABASE = "plinth";
  static final String OPERATOR_KEY_FILE = "operator-key";
  static final String KEYCLOAK_PASSWORD_FILE = "keycloak-admin-password";
  private static final String LOCAL_CLUSTER = "plinth-local";

  private final Optional<LocalPostgres> postgres;
  private final Optional<LocalKeycloak> keycloak;
  private final String databaseUrl;
  private final PlinthNode controlPlane;
  private final PlinthNode dataPlane;
  private final Optional<Path> operatorKeyFile;
  private final Path dataDirectory;

  private LocalPlatform(
      Optional<LocalPostgres> postgres,
      Optional<LocalKeycloak> keycloak,
      String databaseUrl,
      PlinthNode controlPlane,
      PlinthNode dataPlane,
      Optional<Path> operatorKeyFile,
      Path dataDirectory) {
    this.postgres = postgres;
    this.keycloak = keycloak;
    this.databaseUrl = databaseUrl;
    this.controlPlane = controlPlane;
    this.dataPlane = dataPlane;
    this.operatorKeyFile = operatorKeyFile;
    this.dataDirectory = dataDirectory;
  }

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: ./plinth-local [--logs]",
          "  Starts PostgreSQL, Keycloak, the control plane and the data plane on this machine.",
          "  --logs   show the services' logs on the terminal as plain text (PLINTH_LOCAL_LOGS"
              + "=terminal);",
          "           without it they are JSON lines in logs/plinth.log under the data folder.",
          "  Settings: docs/configuration.md. Ctrl-C stops everything.");

  public static void main(String[] args) {
    Map<String, String> fromArguments = new HashMap<>();
    for (String arg : args) {
      switch (arg) {
        case "--logs" -> fromArguments.put(LauncherSettings.LOGS.key(), "terminal");
        case "-h", "--help" -> {
          System.out.println(USAGE);
          return;
        }
        default -> {
          System.err.println("plinth: unknown argument " + arg);
          System.err.println(USAGE);
          System.exit(PlinthMain.EXIT_BAD_CONFIGURATION);
          return;
        }
      }
    }
    ConfigSource source = ConfigSource.ofProcess(Map.of(), fromArguments);
    Progress progress = Progress.to(System.out);
    Optional<Path> logFile;
    try {
      logFile = LocalLogging.configure(source.value(LauncherSettings.LOGS), dataDirectory(source));
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("plinth: " + problem));
      System.exit(PlinthMain.EXIT_BAD_CONFIGURATION);
      return;
    }
    LocalPlatform platform;
    try {
      progress.line(
          "Starting Plinth: data in "
              + dataDirectory(source)
              + logFile.map(f -> ", logs in " + f).orElse(", logs on this terminal"));
      platform = start(source, progress);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("plinth: " + problem));
      System.exit(PlinthMain.EXIT_BAD_CONFIGURATION);
      return;
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(LocalPlatform.class).error("start-up failed", e);
      PlinthMain.flushLogs();
      System.err.println("plinth: start-up failed: " + e.getMessage());
      logFile.ifPresent(f -> System.err.println("plinth: the logs are in " + f));
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  progress.line("Stopping Plinth...");
                  long stopping = System.nanoTime();
                  platform.stop();
                  progress.line("Plinth stopped (" + Progress.since(stopping) + ").");
                  PlinthMain.flushLogs();
                },
                "plinth-local-shutdown"));
    progress.line(platform.banner(logFile));
  }

  /**
   * Starts everything with the launcher's settings and the services' settings read from {@code
   * source}. Blocking: for a main thread or a test, never an event loop.
   */
  public static LocalPlatform start(ConfigSource source) {
    return start(source, Progress.silent());
  }

  /** The same, telling {@code progress} what it starts and when each part is ready. */
  public static LocalPlatform start(ConfigSource source, Progress progress) {
    Map<String, String> shared = new HashMap<>();
    // Keycloak takes the longest (30 s to a minute): it starts while PostgreSQL does.
    Optional<CompletableFuture<LocalKeycloak>> startingKeycloak = Optional.empty();
    if (source.isSet(IdentitySettings.KEYCLOAK_URL)
        || source.isSet(IdentitySettings.KEYCLOAK_INSTANCES)) {
      progress.line(
          "Keycloak: using "
              + source
                  .value(IdentitySettings.KEYCLOAK_URL)
                  .map(URI::toString)
                  .orElse("the instances in PLINTH_IDENTITY_KEYCLOAK_INSTANCES"));
    } else if (!source.value(LauncherSettings.KEYCLOAK)) {
      progress.line("Keycloak: none (PLINTH_LOCAL_KEYCLOAK=false): tenants get no identity");
    } else {
      progress.line(
          "Starting Keycloak " + LocalKeycloak.version() + " (the slowest part: 30 s or more)...");
      startingKeycloak =
          Optional.of(
              CompletableFuture.supplyAsync(
                  () -> {
                    long started = System.nanoTime();
                    LocalKeycloak kc = startKeycloak(source);
                    progress.line(
                        "Keycloak ready on " + kc.url() + " (" + Progress.since(started) + ")");
                    return kc;
                  },
                  task -> new Thread(task, "plinth-local-keycloak-start").start()));
    }
    Optional<LocalPostgres> postgres = Optional.empty();
    Optional<LocalKeycloak> keycloak = Optional.empty();
    try {
      if (!source.isSet(Settings.DB_URL)) {
        long started = System.nanoTime();
        LocalPostgres local = startPostgres(source, progress);
        postgres = Optional.of(local);
        shared.put(Settings.DB_URL.key(), local.uri(DATABASE));
        shared.put(Settings.DB_USER.key(), local.user());
        progress.line(
            "PostgreSQL ready on 127.0.0.1:" + local.port() + " (" + Progress.since(started) + ")");
      } else {
        progress.line("PostgreSQL: using " + source.value(Settings.DB_URL));
      }
      if (startingKeycloak.isPresent()) {
        keycloak = Optional.of(joinKeycloak(startingKeycloak.get()));
        shared.put(IdentitySettings.KEYCLOAK_URL.key(), keycloak.get().url());
        shared.put(IdentitySettings.ADMIN_USER.key(), keycloak.get().adminUser());
        shared.put(IdentitySettings.ADMIN_PASSWORD.key(), keycloak.get().adminPassword());
      }
    } catch (RuntimeException e) {
      postgres.ifPresent(LocalPostgres::close);
      startingKeycloak.ifPresent(
          starting -> starting.thenAccept(LocalKeycloak::close).exceptionally(ignored -> null));
      throw e;
    }
    // Local defaults, unless the operator chose otherwise: loopback only, a cluster of our own.
    if (!source.isSet(Settings.HTTP_HOST)) {
      shared.put(Settings.HTTP_HOST.key(), "127.0.0.1");
    }
    if (!source.isSet(Settings.CLUSTER_NAME)) {
      shared.put(Settings.CLUSTER_NAME.key(), LOCAL_CLUSTER);
    }
    Optional<Path> operatorKeyFile = Optional.empty();
    if (!source.isSet(ProvisioningSettings.BOOTSTRAP_OPERATOR_KEY)) {
      Path file = dataDirectory(source).resolve(OPERATOR_KEY_FILE);
      shared.put(
          ProvisioningSettings.BOOTSTRAP_OPERATOR_KEY.key(), LocalOperatorKey.readOrCreate(file));
      operatorKeyFile = Optional.of(file);
    }
    try {
      PlinthNode control =
          startNode(
              "control plane",
              new ProvisioningService(),
              source,
              shared,
              source.value(LauncherSettings.CONTROL_PLANE_PORT),
              progress);
      PlinthNode data;
      try {
        data =
            startNode(
                "data plane",
                new TenantApiService(),
                source,
                shared,
                source.value(LauncherSettings.DATA_PLANE_PORT),
                progress);
      } catch (RuntimeException e) {
        control.stop().await();
        throw e;
      }
      String url =
          postgres.map(pg -> pg.uri(DATABASE)).orElse(source.value(Settings.DB_URL).toString());
      return new LocalPlatform(
          postgres, keycloak, url, control, data, operatorKeyFile, dataDirectory(source));
    } catch (RuntimeException e) {
      postgres.ifPresent(LocalPostgres::close);
      keycloak.ifPresent(LocalKeycloak::close);
      throw e;
    }
  }

  /** The started Keycloak, or what stopped it from starting, unwrapped. */
  private static LocalKeycloak joinKeycloak(CompletableFuture<LocalKeycloak> starting) {
    try {
      return starting.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /**
   * The local Keycloak, its data (an H2 file) in the data folder beside PostgreSQL's, its
   * administrator's password made once and kept in a file only the owner may read.
   */
  private static LocalKeycloak startKeycloak(ConfigSource source) {
    Path dir = dataDirectory(source);
    return LocalKeycloak.builder()
        .dataDirectory(dir.resolve("keycloak"))
        .port(source.value(LauncherSettings.KEYCLOAK_PORT))
        .admin("admin", LocalOperatorKey.password(dir.resolve(KEYCLOAK_PASSWORD_FILE)))
        .start();
  }

  private static Path dataDirectory(ConfigSource source) {
    return Path.of(source.value(LauncherSettings.DATA_DIR)).toAbsolutePath();
  }

  private static LocalPostgres startPostgres(ConfigSource source, Progress progress) {
    Path dataDir = dataDirectory(source).resolve("postgres");
    progress.line(
        Files.isDirectory(dataDir)
            ? "Starting PostgreSQL (data in " + dataDir + ")..."
            : "Starting PostgreSQL: first run, creating its database in " + dataDir + "...");
    try {
      Files.createDirectories(dataDir.getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    LocalPostgres pg =
        LocalPostgres.builder()
            .dataDirectory(dataDir)
            .port(source.value(LauncherSettings.POSTGRES_PORT))
            .durable(true)
            .stopOnJvmExit(false) // stopped by us, after the services have drained
            .start();
    createDatabaseIfMissing(pg);
    return pg;
  }

  private static void createDatabaseIfMissing(LocalPostgres pg) {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), "");
        var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      if (!exists.executeQuery().next()) {
        try (var create = c.createStatement()) {
          create.execute("CREATE DATABASE " + DATABASE);
        }
      }
    } catch (SQLException e) {
      pg.close();
      throw new IllegalStateException("could not create the local database", e);
    }
  }

  private static PlinthNode startNode(
      String what,
      PlinthService service,
      ConfigSource source,
      Map<String, String> shared,
      int port,
      Progress progress) {
    Map<String, String> overrides = new HashMap<>(shared);
    overrides.put(Settings.HTTP_PORT.key(), String.valueOf(port));
    PlinthConfig config = PlinthConfig.load(source.with(overrides, service.defaults()));
    progress.line("Starting the " + what + "...");
    long started = System.nanoTime();
    PlinthNode node = PlinthNode.start(service, config).await();
    String name = Character.toUpperCase(what.charAt(0)) + what.substring(1);
    progress.line(
        name + " ready on http://127.0.0.1:" + node.port() + " (" + Progress.since(started) + ")");
    return node;
  }

  public PlinthNode controlPlane() {
    return controlPlane;
  }

  public PlinthNode dataPlane() {
    return dataPlane;
  }

  /** The local Keycloak, when the launcher runs one. */
  public Optional<LocalKeycloak> keycloak() {
    return keycloak;
  }

  /** The local PostgreSQL, when the launcher runs one. */
  public Optional<LocalPostgres> postgres() {
    return postgres;
  }

  public String banner() {
    return banner(Optional.empty());
  }

  /** What the terminal shows once everything is ready: where each part is, and how to stop. */
  public String banner(Optional<Path> logFile) {
    return String.join(
        System.lineSeparator(),
        "",
        "Plinth is running.",
        "",
        "  Control plane  http://127.0.0.1:" + controlPlane.port() + "   admin API /admin/v1",
        "  Console        http://127.0.0.1:"
            + controlPlane.port()
            + "/console/   sign in with the operator key below, or as a Keycloak user of realm"
            + " plinth with role platform-admin",
        "  Data plane     http://127.0.0.1:" + dataPlane.port() + "   tenant API /v1",
        "  Health         /health/ready, /health/live and /metrics on each",
        "  PostgreSQL     " + databaseUrl + postgres.map(pg -> "   user " + pg.user()).orElse(""),
        keycloak
            .map(
                kc ->
                    "  Keycloak       "
                        + kc.url()
                        + "   admin console /admin, user admin, password in "
                        + kc.dataDirectory().getParent().resolve(KEYCLOAK_PASSWORD_FILE))
            .orElse("  Keycloak       the one in PLINTH_IDENTITY_KEYCLOAK_URL / _INSTANCES"),
        operatorKeyFile
            .map(file -> "  Operator key   " + file + "   send it as Authorization: Bearer")
            .orElse("  Operator key   the one in PLINTH_BOOTSTRAP_OPERATOR_KEY"),
        logFile
            .map(f -> "  Logs           " + f + "   ./plinth-local --logs shows them here instead")
            .orElse("  Logs           on this terminal"),
        "  Data           " + dataDirectory + "   kept across restarts",
        "",
        "Press Ctrl-C to stop.",
        "");
  }

  /** Stops both services gracefully, then the local Keycloak and PostgreSQL. */
  public void stop() {
    try {
      Future.join(dataPlane.stop(), controlPlane.stop()).await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println(
          "plinth: the services did not stop within 60 s; stopping PostgreSQL anyway");
    } finally {
      keycloak.ifPresent(LocalKeycloak::close);
      postgres.ifPresent(LocalPostgres::close);
    }
  }
}
