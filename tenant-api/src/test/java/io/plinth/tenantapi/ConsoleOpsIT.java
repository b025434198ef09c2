package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.server.Infrastructure;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the operators' console shows of the running platform: requests to {@code /v1} counted into
 * the usage series of their tenant and of the platform, with rows and storage measured by the
 * control plane, and the cluster page listing both services' nodes with their readiness, the
 * Hazelcast members and the PostgreSQL pools. Counting periods and sampling are a second here
 * instead of a minute and five.
 */
class ConsoleOpsIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final Map<String, String> FAST_USAGE =
      Map.of("plinth.usage.flush-interval", "1s", "plinth.usage.sample-interval", "1s");

  private static DataPlane plane;

  @BeforeAll
  static void start() {
    plane = new DataPlane(Map.of(), FAST_USAGE);
  }

  @AfterAll
  static void stop() {
    plane.close();
  }

  @Test
  void requestsToV1AppearInTheTenantsSeriesAndThePlatformsWithStorage() {
    DataPlane.Tenant tenant = plane.newTenant();
    DataPlane.Tenant other = plane.newTenant();
    var api = plane.as(tenant.secretKey());
    assertThat(
            api.postJson("/v1/collections", DataPlane.collection("items", "title:text")).status())
        .isEqualTo(201);
    for (int i = 0; i < 5; i++) {
      assertThat(
              api.postJson("/v1/collections/items/records", new JsonObject().put("title", "n" + i))
                  .status())
          .isEqualTo(201);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(api.get("/v1/collections/items/records").status()).isEqualTo(200);
    }
    assertThat(api.get("/v1/collections/missing/records").status())
        .as("the client's mistake: counted, not an error")
        .isEqualTo(404);
    assertThat(plane.as(other.secretKey()).get("/v1/collections").status()).isEqualTo(200);

    JsonObject series =
        Eventually.poll(
            WITHIN,
            () -> series("range=1h&tenant=" + tenant.slug()),
            s -> sum(s, "requests") >= 10 && lastKnown(s, "rows") == 5);
    assertThat(series.getString("range")).isEqualTo("1h");
    assertThat(series.getInteger("stepSeconds")).isEqualTo(60);
    assertThat(series.getInteger("retentionHours")).isEqualTo(24);
    assertThat(series.getJsonArray("points")).hasSize(60);
    assertThat(sum(series, "requests")).as("this tenant's requests only").isEqualTo(10);
    assertThat(sum(series, "errors")).isZero();
    assertThat(lastKnown(series, "storageBytes")).isPositive();
    JsonObject busiest = busiest(series);
    assertThat(busiest.getDouble("p99Ms")).isPositive();
    assertThat(busiest.getDouble("requestsPerSecond"))
        .isEqualTo(busiest.getLong("requests") / 60.0);

    JsonObject platform =
        Eventually.poll(WITHIN, () -> series("range=24h"), s -> sum(s, "requests") >= 11);
    assertThat(platform.getInteger("stepSeconds")).isEqualTo(600);
    assertThat(platform.getJsonArray("points")).hasSize(144);
    assertThat(busiest(platform).getValue("p99Ms")).isNotNull();
    assertThat(
            Eventually.poll(
                WITHIN, () -> lastKnown(series("range=24h"), "rows"), rows -> rows >= 5))
        .as("the platform's rows include the tenant's")
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  void aSeriesOfAnUnknownTenantIs404AndAnUnknownRange400() {
    Response unknown = plane.admin.get("/admin/v1/usage/series?range=1h&tenant=no-such-tenant");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("code")).isEqualTo("tenant_not_found");
    Response badRange = plane.admin.get("/admin/v1/usage/series?range=7d");
    assertThat(badRange.status()).isEqualTo(400);
    assertThat(badRange.json().getString("code")).isEqualTo("validation_failed");
    assertThat(plane.api.get("/admin/v1/usage/series").status()).isEqualTo(404);
  }

  @Test
  void theClusterPageListsBothServicesNodesWithReadinessMembersAndPools() {
    JsonObject cluster = cluster();
    JsonArray nodes = cluster.getJsonArray("nodes");
    assertThat(services(nodes)).containsExactlyInAnyOrder("provisioning", "tenant-api");
    for (Object n : nodes) {
      JsonObject node = (JsonObject) n;
      assertThat(node.getBoolean("ready")).as(node.encode()).isTrue();
      assertThat(node.getString("url")).startsWith("http://127.0.0.1:");
      assertThat(node.getString("startedAt")).isNotBlank();
      assertThat(checks(node)).containsEntry("postgresql", true).containsEntry("hazelcast", true);
    }
    JsonArray members = cluster.getJsonObject("hazelcast").getJsonArray("members");
    assertThat(members).hasSize(2);
    assertThat(ids(members, "uuid")).isEqualTo(ids(nodes, "node"));
    assertThat(members.stream().filter(m -> ((JsonObject) m).getBoolean("local")).count())
        .isEqualTo(1);
    assertThat(cluster.getJsonArray("keycloak")).as("no Keycloak configured").isEmpty();
    // Each node republishes its pools' figures every few seconds: a pool first used after the
    // node started shows its in-use and waiting figures from the next refresh on.
    JsonArray databases =
        Eventually.poll(
            WITHIN,
            () -> cluster().getJsonArray("databases"),
            pools -> pools.stream().allMatch(p -> ((JsonObject) p).getValue("inUse") != null));
    assertThat(databases).hasSize(2);
    for (Object d : databases) {
      JsonObject pool = (JsonObject) d;
      assertThat(pool.getString("role")).isEqualTo("writer");
      assertThat(pool.getInteger("maxSize")).isEqualTo(12);
      assertThat(pool.getInteger("size")).isBetween(0, 12);
      assertThat(pool.getInteger("inUse")).as(pool.encode()).isBetween(0, 12);
      assertThat(pool.getInteger("waiting")).as(pool.encode()).isNotNegative();
    }
  }

  @Test
  void aNodeThatStopsAnsweringShowsNotReadyAndLeavesTheListWithItsMember() throws Exception {
    TestNodes.Node extra = plane.anotherDataPlaneNode(Map.of("plinth.shutdown.timeout", "0ms"));
    String id = extra.node().infrastructure().directory().nodeId();
    Eventually.poll(
        WITHIN, () -> ids(cluster().getJsonArray("nodes"), "node"), ids -> ids.contains(id));

    // Its HTTP servers close; its member stays in the cluster and its entry in the directory.
    Infrastructure infra = extra.node().infrastructure();
    Vertx vertx = infra.vertx();
    io.vertx.core.Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .await(10, TimeUnit.SECONDS);
    JsonObject silent = node(cluster(), id);
    assertThat(silent.getBoolean("ready")).isFalse();
    assertThat(silent.getString("error")).isNotBlank();
    assertThat(silent.getJsonArray("checks")).isEmpty();
    assertThat(node(cluster(), nodeOf("provisioning")).getBoolean("ready"))
        .as("the others are unaffected")
        .isTrue();

    // Its member dies without leaving: the others remove its entry once they drop the member.
    infra.cluster().getLifecycleService().terminate();
    Eventually.poll(
        Duration.ofSeconds(40),
        () -> ids(cluster().getJsonArray("nodes"), "node"),
        ids -> !ids.contains(id));
  }

  private static String nodeOf(String service) {
    return cluster().getJsonArray("nodes").stream()
        .map(JsonObject.class::cast)
        .filter(n -> n.getString("service").equals(service))
        .findFirst()
        .orElseThrow()
        .getString("node");
  }

  private static JsonObject node(JsonObject cluster, String id) {
    return cluster.getJsonArray("nodes").stream()
        .map(JsonObject.class::cast)
        .filter(n -> n.getString("node").equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + id + " in " + cluster.encode()));
  }

  private static JsonObject cluster() {
    Response response = plane.admin.get("/admin/v1/cluster");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static JsonObject series(String query) {
    Response response = plane.admin.get("/admin/v1/usage/series?" + query);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static long sum(JsonObject series, String field) {
    return series.getJsonArray("points").stream()
        .mapToLong(p -> ((JsonObject) p).getLong(field))
        .sum();
  }

  /** The field's value in the newest point that has one; -1 when none has. */
  private static long lastKnown(JsonObject series, String field) {
    JsonArray points = series.getJsonArray("points");
    for (int i = points.size() - 1; i >= 0; i--) {
      Long value = points.getJsonObject(i).getLong(field);
      if (value != null) {
        return value;
      }
    }
    return -1;
  }

  private static JsonObject busiest(JsonObject series) {
    return series.getJsonArray("points").stream()
        .map(JsonObject.class::cast)
        .max(java.util.Comparator.comparingLong(p -> p.getLong("requests")))
        .orElseThrow();
  }

  private static List<String> services(JsonArray nodes) {
    return nodes.stream().map(n -> ((JsonObject) n).getString("service")).toList();
  }

  private static java.util.Set<String> ids(JsonArray items, String field) {
    return items.stream().map(i -> ((JsonObject) i).getString(field)).collect(Collectors.toSet());
  }

  private static Map<String, Boolean> checks(JsonObject node) {
    return node.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getBoolean("ok")));
  }
}
