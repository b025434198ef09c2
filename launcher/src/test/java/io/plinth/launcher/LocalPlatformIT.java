package io.plinth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.localkeycloak.LocalKeycloak;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.config.ConfigSource;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.testing.Eventually;
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
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole platform as the local launcher runs it: a real PostgreSQL of its own, the control plane
 * and the data plane in one Hazelcast cluster. Keycloak: the test JVM's (named by setting, so the
 * launcher starts none), except where the launcher's own Keycloak is the subject.
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
