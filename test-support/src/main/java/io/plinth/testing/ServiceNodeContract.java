package io.plinth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.server.PlinthMain;
import io.plinth.platform.server.PlinthService;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every Plinth service must do as a process and a node, whatever its API: become ready against
 * real PostgreSQL and Hazelcast, serve Prometheus metrics, refuse a bad configuration with one
 * clear line, log JSON without secrets, and stop gracefully on SIGTERM. Each service's test extends
 * this with its own service and main class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceNodeContract {

  private static final String SECRET = "never-log-this-Pa55word";

  protected abstract PlinthService service();

  protected abstract Class<?> mainClass();

  private TestPostgres.Database database;
  private TestCluster cluster;
  private TestNodes nodes;
  private PlinthClient client;

  @BeforeAll
  void startNode() {
    database = TestPostgres.newDatabase();
    cluster = TestCluster.create();
    nodes = new TestNodes();
    client = nodes.start(service(), database.settings(), cluster.settings()).client();
  }

  @AfterAll
  void stopNode() {
    nodes.close();
  }

  @Test
  void isReadyWithPostgresAndHazelcast() {
    PlinthClient.Response ready = client.ready();

    assertThat(ready.status()).isEqualTo(200);
    JsonObject checks = ready.json().getJsonObject("checks");
    assertThat(checks.getJsonObject("postgresql").getString("status")).isEqualTo("UP");
    assertThat(checks.getJsonObject("hazelcast").getString("status")).isEqualTo("UP");
    assertThat(client.live().status()).isEqualTo(200);
  }

  @Test
  void servesPrometheusMetricsTaggedWithTheService() {
    client.ready(); // at least one request recorded
    PlinthClient.Response metrics = client.metrics();

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("# TYPE jvm_memory_used_bytes gauge")
        .contains("service=\"" + service().name() + "\"")
        .contains("vertx_http_server_requests_total");
  }

  @Test
  void aBadPortStopsStartUpWithOneLineNamingIt() {
    try (MainProcess process = MainProcess.start(mainClass(), Map.of("PLINTH_HTTP_PORT", "abc"))) {
      int status = process.waitForExit(Duration.ofSeconds(30));

      assertThat(status).isEqualTo(PlinthMain.EXIT_BAD_CONFIGURATION);
      assertThat(process.stderr())
          .containsExactly(
              service().name()
                  + ": Invalid setting PLINTH_HTTP_PORT (from PLINTH_HTTP_PORT) = 'abc':"
                  + " expected a port number (0-65535)");
    }
  }

  @Test
  void asAProcessItLogsJsonWithoutSecretsAndStopsGracefullyOnSigterm() {
    Map<String, String> env = new HashMap<>();
    TestPostgres.Database db = TestPostgres.newDatabase();
    env.put("PLINTH_DB_URL", db.url());
    env.put("PLINTH_DB_USER", db.user());
    // Trust authentication on the test server ignores the password; it only has to not leak.
    env.put("PLINTH_DB_PASSWORD", db.password().isEmpty() ? SECRET : db.password());
    env.put("PLINTH_HTTP_PORT", "0");
    env.put("PLINTH_HTTP_HOST", "127.0.0.1");
    TestCluster.create().settings().forEach((key, value) -> env.put(toVariable(key), value));

    try (MainProcess process = MainProcess.start(mainClass(), env)) {
      String started = process.awaitOutput("\"started", Duration.ofSeconds(60));
      assertThat(started).as("start-up line; stderr: %s", process.stderr()).isNotNull();
      int port = new JsonObject(started).getInteger("port");
      assertThat(new PlinthClient("http://127.0.0.1:" + port).ready().status()).isEqualTo(200);

      process.terminate();
      int status = process.waitForExit(Duration.ofSeconds(60));

      List<String> lines = process.stdout();
      assertThat(status).isEqualTo(143); // terminated by SIGTERM, after the shutdown hook ran
      assertThat(lines)
          .as("standard error: %s", process.stderr())
          .anySatisfy(line -> assertThat(line).contains("\"stopped"));
      assertThat(lines)
          .allSatisfy(line -> assertThat(new JsonObject(line).getString("message")).isNotNull());
      assertThat(String.join("\n", lines)).doesNotContain(SECRET);
    }
  }

  private static String toVariable(String key) {
    return key.toUpperCase().replace('.', '_').replace('-', '_');
  }
}
