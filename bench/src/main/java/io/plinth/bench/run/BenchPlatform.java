package io.plinth.bench.run;

import io.plinth.launcher.LauncherSettings;
import io.plinth.launcher.LocalPlatform;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.Settings;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.provisioning.ProvisioningSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole platform in the bench's JVM ({@link LocalPlatform}): a fresh data folder under /tmp,
 * free ports, a cluster of its own and an operator key the bench knows; started, restarted with
 * more settings, stopped, its folder deleted. Blocking, like LocalPlatform.
 */
public final class BenchPlatform {

  private final Path dataDir;
  private final String operatorKey;
  private final Map<String, String> settings = new HashMap<>();
  private LocalPlatform platform;

  /**
   * @param keycloak whether the launcher runs a local Keycloak (and tenants get a realm each)
   */
  public BenchPlatform(String bench, boolean keycloak) {
    this.dataDir = DataDir.fresh(bench);
    this.operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
    settings.put(LauncherSettings.DATA_DIR.key(), dataDir.toString());
    settings.put(LauncherSettings.CONTROL_PLANE_PORT.key(), "0");
    settings.put(LauncherSettings.DATA_PLANE_PORT.key(), "0");
    // Without Keycloak the data plane and tenant schemas are measured alone; what a tenant's
    // identity costs (a realm, an organization) is bench/identity's, and 1,000 realms would pass
    // the per-instance cap (ADR 0010).
    settings.put(LauncherSettings.KEYCLOAK.key(), String.valueOf(keycloak));
    if (keycloak) {
      settings.put(LauncherSettings.KEYCLOAK_PORT.key(), "0");
    }
    settings.put(
        Settings.CLUSTER_NAME.key(),
        "plinth-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
    settings.put(ProvisioningSettings.BOOTSTRAP_OPERATOR_KEY.key(), operatorKey);
  }

  /** One more setting for every start. */
  public BenchPlatform with(String key, String value) {
    settings.put(key, value);
    return this;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String operatorKey() {
    return operatorKey;
  }

  /** The settings, then {@code more}, then system properties and the environment. */
  public ConfigSource source(Map<String, String> more) {
    Map<String, String> all = new HashMap<>(settings);
    all.putAll(more);
    return new ConfigSource(all, System.getProperties(), System.getenv(), Map.of());
  }

  /** Starts the platform (again, on the same data, after {@link #stop}) with {@code more}. */
  public LocalPlatform start(Map<String, String> more) {
    if (platform != null) {
      throw new IllegalStateException("the platform is running");
    }
    platform = LocalPlatform.start(source(more));
    return platform;
  }

  /** Stops the platform if it runs. */
  public void stop() {
    if (platform != null) {
      LocalPlatform running = platform;
      platform = null;
      running.stop();
    }
  }

  /** Stops the platform if it runs and deletes the data folder. */
  public void stopAndDelete() {
    try {
      stop();
    } finally {
      DataDir.delete(dataDir);
    }
  }

  /** The running platform. */
  public LocalPlatform local() {
    if (platform == null) {
      throw new IllegalStateException("the platform is not running");
    }
    return platform;
  }

  public String controlPlaneUrl() {
    return "http://127.0.0.1:" + local().controlPlane().port();
  }

  public int dataPlanePort() {
    return local().dataPlane().port();
  }

  public String dataPlaneUrl() {
    return "http://127.0.0.1:" + dataPlanePort();
  }

  public LocalPostgres postgres() {
    return local()
        .postgres()
        .orElseThrow(() -> new IllegalStateException("no local PostgreSQL is running"));
  }

  /** A connection of the bench's own to the platform's database. */
  public Connection connect() throws SQLException {
    LocalPostgres pg = postgres();
    return DriverManager.getConnection(pg.jdbcUrl("plinth"), pg.user(), "");
  }

  /** The first column of the first row {@code sql} gives. */
  public String queryString(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** {@code SELECT version()}, or {@code ?} and why not. */
  public String postgresVersion() {
    try {
      return queryString("SELECT version()");
    } catch (Exception e) {
      return "? (" + e.getMessage() + ")";
    }
  }
}
