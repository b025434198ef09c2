package io.plinth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.localkeycloak.LocalKeycloak;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.config.ConfigSource;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.testing.Eventually;
import io.plinth.testing.MainProcess;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestFiles;
import io.plinth.testing.TestKeycloak;
import io.plinth.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole platform as the local launcher runs it: a real PostgreSQL of its own, the control plane
 * and the data plane in one Hazelcast cluster. Keycloak: the test JVM's (named by setting, so the
 * launcher starts none), except where the launcher's own Keycloak is the subject. The first tests
 * run the launcher's {@code main} as a process of its own and read its terminal as a person would.
 */
class LocalPlatformIT {

  // Not @TempDir: that folder is closed to other users, and as root PostgreSQL runs as nobody.
  private final Path dataDir =
      Path.of(System.getProperty("java.io.tmpdir"), "plinth-launcher-it-" + UUID.randomUUID());

  @AfterEach
  void deleteData() {
    TestFiles.deleteRecursively(dataDir);
  }

  private Map<String, String> settings(TestCluster cluster) {
    Map<String, String> settings = new HashMap<>(cluster.settings());
    settings.put("plinth.local.data-dir", dataDir.toString());
    settings.put("plinth.local.control-plane-port", "0");
    settings.put("plinth.local.data-plane-port", "0");
    settings.put("plinth.http.instances", "1");
    settings.put("plinth.db.connect-timeout", "1s");
    settings.put("plinth.health.timeout", "1500ms");
    settings.put("plinth.shutdown.timeout", "2s");
    TestKeycloak.Server keycloak = TestKeycloak.server();
    settings.put("plinth.identity.keycloak.url", keycloak.url());
    settings.put("plinth.identity.keycloak.admin-user", keycloak.adminUser());
    settings.put("plinth.identity.keycloak.admin-password", keycloak.adminPassword());
    return settings;
  }

  @Test
  void theLauncherRunsAKeycloakOfItsOwnForTheControlPlane() throws Exception {
    Map<String, String> settings = settings(TestCluster.create());
    settings.remove("plinth.identity.keycloak.url");
    settings.remove("plinth.identity.keycloak.admin-user");
    settings.remove("plinth.identity.keycloak.admin-password");
    settings.put("plinth.local.keycloak-port", "0");
    LocalPlatform platform = start(settings);
    try {
      LocalKeycloak keycloak = platform.keycloak().orElseThrow();
      assertThat(keycloak.dataDirectory()).isEqualTo(dataDir.resolve("keycloak"));
      assertThat(platform.banner())
          .contains(keycloak.url())
          .doesNotContain(keycloak.adminPassword());
      assertThat(
              java.nio.file.Files.readString(dataDir.resolve(LocalPlatform.KEYCLOAK_PASSWORD_FILE))
                  .strip())
          .isEqualTo(keycloak.adminPassword());
      JsonObject check =
          client(platform.controlPlane())
              .ready()
              .json()
              .getJsonObject("checks")
              .getJsonObject("keycloak");
      assertThat(check.getString("status")).isEqualTo("UP");
      assertThat(check.containsKey("degraded")).as(check.encode()).isFalse();
      // The control plane made its platform realm there.
      assertThat(new PlinthClient(keycloak.url()).get("/realms/plinth").status()).isEqualTo(200);
    } finally {
      platform.stop();
    }
    assertThat(platform.keycloak().orElseThrow().isRunning()).isFalse();
  }

  /** What ./plinth-local runs (failsafe runs in the module's folder, after package). */
  private static final Path JAR = Path.of("target", "plinth-launcher.jar").toAbsolutePath();

  /** The launcher's jar in a JVM of its own, its settings as environment variables. */
  private MainProcess launch(List<String> arguments) {
    Map<String, String> environment = new HashMap<>();
    settings(TestCluster.create())
        .forEach(
            (key, value) ->
                environment.put(
                    key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
    assertThat(JAR).as("the launcher's jar; mvn package makes it").isRegularFile();
    return MainProcess.startJar(JAR, environment, arguments);
  }

  /** Stops the launcher as Ctrl-C does (SIGTERM: the same shutdown hook) and waits for it. */
  private static void stop(MainProcess launcher) {
    if (launcher.isRunning()) {
      launcher.terminate();
      launcher.waitForExit(Duration.ofSeconds(90));
    }
  }

  private static List<String> untilTheBanner(MainProcess launcher) {
    String last = launcher.awaitOutput("Press Ctrl-C to stop.", Duration.ofSeconds(180));
    assertThat(last)
        .as(
            "the launcher stopped before its banner:%n%s%n%s",
            String.join("\n", launcher.stdout()), String.join("\n", launcher.stderr()))
        .isNotNull();
    return launcher.stdout();
  }

  private static int port(List<String> terminal, String name) {
    Pattern url = Pattern.compile("^  " + name + " +http://127\\.0\\.0\\.1:(\\d+) .*");
    return terminal.stream()
        .map(url::matcher)
        .filter(Matcher::matches)
        .map(m -> Integer.parseInt(m.group(1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " URL in the banner"));
  }

  @Test
  void theTerminalShowsProgressAndOneBannerWhileTheJsonLogsGoToAFile() throws Exception {
    MainProcess launcher = launch(List.of());
    try {
      List<String> terminal = untilTheBanner(launcher);
      String shown = String.join("\n", terminal);
      // What a person reads: one line per step, then the banner; no log line among them.
      assertThat(terminal)
          .as(shown)
          .anyMatch(line -> line.startsWith("Starting PostgreSQL"))
          .anyMatch(line -> line.startsWith("PostgreSQL ready on 127.0.0.1:"))
          .anyMatch(line -> line.startsWith("Keycloak: using http://127.0.0.1:"))
          .anyMatch(line -> line.startsWith("Control plane ready on http://127.0.0.1:"))
          .anyMatch(line -> line.startsWith("Data plane ready on http://127.0.0.1:"))
          .containsOnlyOnce("Plinth is running.")
          .anyMatch(
              line -> line.matches("  Console        http://127\\.0\\.0\\.1:\\d+/console/ .*"))
          .noneMatch(line -> line.startsWith("{"))
          .noneMatch(line -> line.contains("INFO"))
          .noneMatch(line -> line.contains("WARN"));
      assertThat(terminal.size()).as(shown).isLessThanOrEqualTo(25);
      assertThat(launcher.stderr()).isEmpty();
      Path logFile = dataDir.resolve("logs").resolve("plinth.log");
      assertThat(shown)
          .contains("  Logs           " + logFile)
          .contains("  Operator key   " + dataDir.resolve(LocalPlatform.OPERATOR_KEY_FILE))
          .contains("Press Ctrl-C to stop.");
      PlinthClient dataPlane = new PlinthClient("http://127.0.0.1:" + port(terminal, "Data plane"));
      assertThat(dataPlane.ready().status()).isEqualTo(200);
      assertThat(
              new PlinthClient("http://127.0.0.1:" + port(terminal, "Control plane"))
                  .ready()
                  .status())
          .isEqualTo(200);
      PlinthClient.Response console =
          new PlinthClient("http://127.0.0.1:" + port(terminal, "Control plane")).get("/console/");
      assertThat(console.status()).as("the launcher serves the console").isEqualTo(200);
      assertThat(console.header("Content-Security-Policy")).isPresent();

      // The log file holds the services' JSON lines, the access log's included.
      List<JsonObject> logged =
          Eventually.poll(
              Duration.ofSeconds(10),
              () -> jsonLines(logFile),
              lines -> lines.stream().anyMatch(l -> "/health/ready".equals(l.getString("path"))));
      assertThat(logged)
          .allSatisfy(line -> assertThat(line.getString("@timestamp")).isNotBlank())
          .anySatisfy(
              line ->
                  assertThat(line.getString("message")).startsWith("started service=provisioning"))
          .anySatisfy(
              line ->
                  assertThat(line.getString("message")).startsWith("started service=tenant-api"));

      stop(launcher);
      assertThat(launcher.stdout())
          .contains("Stopping Plinth...")
          .anyMatch(line -> line.startsWith("Plinth stopped ("))
          .noneMatch(line -> line.startsWith("{"));
      assertThat(jsonLines(logFile))
          .anySatisfy(
              line ->
                  assertThat(line.getString("message")).isEqualTo("stopped service=tenant-api"));
    } finally {
      stop(launcher);
      launcher.close();
    }
  }

  @Test
  void withLogsTheTerminalShowsTheLogsAsPlainText() throws Exception {
    MainProcess launcher = launch(List.of("--logs"));
    try {
      List<String> terminal = untilTheBanner(launcher);
      String shown = String.join("\n", terminal);
      assertThat(terminal)
          .as(shown)
          .anyMatch(
              line ->
                  line.matches(
                      "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  PlinthNode: started service=tenant-api .*"))
          .anyMatch(line -> line.startsWith("Data plane ready on http://127.0.0.1:"))
          .containsOnlyOnce("Plinth is running.")
          .contains("  Logs           on this terminal")
          .noneMatch(line -> line.startsWith("{"));
      assertThat(dataDir.resolve("logs").resolve("plinth.log")).doesNotExist();
    } finally {
      stop(launcher);
      launcher.close();
    }
  }

  @Test
  void anUnknownArgumentIsRefusedWithTheUsage() {
    try (MainProcess launcher =
        MainProcess.start(LocalPlatform.class, Map.of(), List.of("--lgos"))) {
      assertThat(launcher.waitForExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(launcher.stderr())
          .contains("plinth: unknown argument --lgos")
          .anyMatch(line -> line.startsWith("usage: ./plinth-local [--logs]"));
      assertThat(launcher.stdout()).isEmpty();
    }
  }

  private static List<JsonObject> jsonLines(Path file) {
    if (!java.nio.file.Files.exists(file)) {
      return List.of();
    }
    try {
      return java.nio.file.Files.readAllLines(file).stream()
          .filter(line -> !line.isBlank())
          .map(JsonObject::new)
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static LocalPlatform start(Map<String, String> settings) {
    return LocalPlatform.start(new ConfigSource(settings, new Properties(), Map.of(), Map.of()));
  }

  private static PlinthClient client(io.plinth.platform.server.PlinthNode node) {
    return new PlinthClient("http://127.0.0.1:" + node.port());
  }

  @Test
  void bothServicesAreReadyAndRecoverWhenPostgresStopsAndStartsAgain() throws Exception {
    LocalPlatform platform = start(settings(TestCluster.create()));
    try {
      List<PlinthClient> services =
          List.of(client(platform.controlPlane()), client(platform.dataPlane()));
      for (PlinthClient service : services) {
        PlinthClient.Response ready = service.ready();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(
                ready
                    .json()
                    .getJsonObject("checks")
                    .getJsonObject("hazelcast")
                    .getInteger("members"))
            .isEqualTo(2);
        assertThat(service.metrics().body()).contains("# TYPE jvm_threads_live_threads gauge");
        assertThat(service.metrics().body())
            .containsPattern("plinth_cluster_members\\{[^}]*\\} 2.0");
      }
      assertThat(services.get(0).metrics().body()).contains("service=\"provisioning\"");
      assertThat(services.get(1).metrics().body()).contains("service=\"tenant-api\"");

      // A tenant whose key every node has cached, to see what an app gets during the outage.
      String operatorKey =
          java.nio.file.Files.readString(dataDir.resolve(LocalPlatform.OPERATOR_KEY_FILE)).strip();
      JsonObject tenant =
          services
              .get(0)
              .withBearer(operatorKey)
              .postJson(
                  "/admin/v1/tenants",
                  new JsonObject().put("slug", "outage").put("name", "o").put("plan", "pro"))
              .json();
      String secretKey =
          tenant.getJsonArray("keys").stream()
              .map(JsonObject.class::cast)
              .filter(k -> k.getString("kind").equals("secret"))
              .findFirst()
              .orElseThrow()
              .getString("key");
      PlinthClient app = services.get(1).withHeader("apikey", secretKey);
      assertThat(app.get("/v1/collections").status()).isEqualTo(200);

      LocalPostgres postgres = platform.postgres().orElseThrow();
      postgres.stop();
      // The app gets 503 with Retry-After, never a 500, while PostgreSQL is away.
      PlinthClient.Response unavailable = app.get("/v1/collections");
      assertThat(unavailable.status()).as(unavailable.body()).isEqualTo(503);
      assertThat(unavailable.json().getString("code")).isEqualTo("dependency_unavailable");
      assertThat(unavailable.header("Retry-After")).isPresent();
      for (PlinthClient service : services) {
        PlinthClient.Response down =
            Eventually.poll(Duration.ofSeconds(20), service::ready, r -> r.status() == 503);
        assertThat(down.isProblem()).isTrue();
        assertThat(down.header("Retry-After")).isPresent();
        JsonObject body = down.json();
        assertThat(body.getString("code")).isEqualTo("not_ready");
        assertThat(body.getJsonObject("checks").getJsonObject("postgresql").getString("status"))
            .isEqualTo("DOWN");
        assertThat(body.getJsonObject("checks").getJsonObject("hazelcast").getString("status"))
            .isEqualTo("UP");
      }

      postgres.start();
      for (PlinthClient service : services) {
        Eventually.poll(Duration.ofSeconds(30), service::ready, r -> r.status() == 200);
      }
      assertThat(app.get("/v1/collections").status()).isEqualTo(200);
    } finally {
      platform.stop();
    }
  }

  @Test
  void theLocalOperatorKeyIsKeptAndOpensTheAdminApi() throws Exception {
    Map<String, String> settings = settings(TestCluster.create());
    LocalPlatform first = start(settings);
    String key;
    try {
      key =
          java.nio.file.Files.readString(dataDir.resolve(LocalPlatform.OPERATOR_KEY_FILE)).strip();
      assertThat(first.banner()).contains(LocalPlatform.OPERATOR_KEY_FILE).doesNotContain(key);
      assertThat(client(first.controlPlane()).withBearer(key).get("/admin/v1/tenants").status())
          .isEqualTo(200);
    } finally {
      first.stop();
    }
    LocalPlatform second = start(settings);
    try {
      assertThat(client(second.controlPlane()).withBearer(key).get("/admin/v1/tenants").status())
          .isEqualTo(200);
    } finally {
      second.stop();
    }
  }

  @Test
  void aRestartKeepsTheData() throws Exception {
    Map<String, String> settings = settings(TestCluster.create());
    LocalPlatform first = start(settings);
    try (Connection c = connect(first)) {
      c.createStatement().execute("CREATE TABLE kept (note text)");
      c.createStatement().execute("INSERT INTO kept VALUES ('still here')");
    } finally {
      first.stop();
    }

    LocalPlatform second = start(settings);
    try (Connection c = connect(second);
        ResultSet rows = c.createStatement().executeQuery("SELECT note FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("still here");
      assertThat(client(second.dataPlane()).ready().status()).isEqualTo(200);
    } finally {
      second.stop();
    }
  }

  @Test
  void moreDataPlaneNodesJoinTheSameCluster() {
    TestCluster cluster = TestCluster.create();
    LocalPlatform platform = start(settings(cluster));
    try (TestNodes nodes = new TestNodes()) {
      LocalPostgres pg = platform.postgres().orElseThrow();
      Map<String, String> db =
          Map.of("plinth.db.url", pg.uri(LocalPlatform.DATABASE), "plinth.db.user", pg.user());
      PlinthClient extra = nodes.start(new TenantApiService(), db, cluster.settings()).client();

      PlinthClient.Response ready = extra.ready();
      assertThat(ready.status()).isEqualTo(200);
      assertThat(
              ready.json().getJsonObject("checks").getJsonObject("hazelcast").getInteger("members"))
          .isEqualTo(3);
    } finally {
      platform.stop();
    }
  }

  private static Connection connect(LocalPlatform platform) throws Exception {
    LocalPostgres pg = platform.postgres().orElseThrow();
    return DriverManager.getConnection(pg.jdbcUrl(LocalPlatform.DATABASE), pg.user(), "");
  }
}
