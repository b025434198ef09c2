package io.plinth.bench.identity;

import io.plinth.bench.run.KeycloakHttp;
import io.plinth.bench.run.KeycloakHttp.Token;
import io.plinth.bench.run.ProcFs;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import io.plinth.localkeycloak.LocalKeycloak;
import io.plinth.localpostgres.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Keycloak being measured ({@link LocalKeycloak}, {@code kc.sh start-dev}) on a database of
 * its own in the bench's PostgreSQL, with its admin REST API; restarted at the largest size, its
 * RSS and restart timed.
 */
final class BenchKeycloak implements AutoCloseable {

  private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

  private final LocalKeycloak kc;
  private final KeycloakHttp http;

  private BenchKeycloak(LocalKeycloak kc) {
    this.kc = kc;
    this.http = new KeycloakHttp(kc.url());
  }

  /** A Keycloak on database {@code keycloak_<name>}, its data under {@code dataDir}. */
  static BenchKeycloak start(
      String name, LocalPostgres postgres, Path dataDir, IdentityBenchOptions options)
      throws SQLException {
    String database = "keycloak_" + name;
    try (Connection c =
            DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
    Progress.say("starting Keycloak " + LocalKeycloak.version() + " on database " + database);
    LocalKeycloak.Builder builder =
        LocalKeycloak.builder()
            .home(dataDir.resolve("keycloak-home"))
            .dataDirectory(dataDir.resolve("keycloak-" + name))
            .database(
                LocalKeycloak.Database.postgres(postgres.jdbcUrl(database), postgres.user(), ""));
    options.keycloakOptions().forEach(builder::option);
    long started = System.nanoTime();
    LocalKeycloak kc = builder.start();
    Progress.say(
        String.format(
            Locale.ROOT, "  Keycloak answered after %.1f s", Sampling.secondsSince(started)));
    return new BenchKeycloak(kc);
  }

  KeycloakHttp http() {
    return http;
  }

  /** A new token of master's {@code admin} (password grant at admin-cli), timed. */
  Token masterAdminToken() {
    return http.password("master", "admin-cli", kc.adminUser(), kc.adminPassword());
  }

  /** Restarts Keycloak after noting its RSS; times the restart and the first calls after it. */
  Restart restart(Supplier<Map<String, Double>> coldCalls) {
    Restart r = new Restart();
    r.rssMib = rssMib();
    Progress.say(String.format(Locale.ROOT, "Keycloak RSS %.0f MiB; restarting it", r.rssMib));
    kc.stop();
    long started = System.nanoTime();
    kc.start();
    r.restartSeconds = Sampling.secondsSince(started);
    r.keycloakSays = lastStartedIn(kc.dataDirectory().resolve("keycloak.log"));
    r.cold = coldCalls.get();
    r.rssAfterMib = rssMib();
    return r;
  }

  @Override
  public void close() {
    kc.close();
  }

  /** VmRSS of the Keycloak java process (the one listening on the instance's port), in MiB. */
  private double rssMib() {
    String portArg = "--http-port=" + kc.port();
    return ProcessHandle.current()
        .descendants()
        .filter(
            p ->
                ProcFs.cmdline(p.pid()).contains(portArg)
                    && ProcFs.cmdline(p.pid()).contains("java"))
        .mapToDouble(p -> ProcFs.vmRssMib(p.pid()))
        .filter(v -> !Double.isNaN(v))
        .max()
        .orElse(Double.NaN);
  }

  /** Keycloak's own "started in N s" from its last start in the log, or NaN. */
  static double lastStartedIn(Path log) {
    try {
      Matcher m = STARTED.matcher(Files.readString(log));
      double last = Double.NaN;
      while (m.find()) {
        last = Double.parseDouble(m.group(1));
      }
      return last;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
