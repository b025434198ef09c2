package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Split-brain protection with {@code plinth.cluster.min-members} 3 on every member: a data-plane
 * node in a cluster smaller than that (as it is when split from the majority, or when its peers
 * died) answers reads from PostgreSQL, fresh, and refuses writes with 503 {@code
 * cluster_unavailable}, writing nothing: it could not invalidate what other nodes cached. Its
 * readiness stays up and says so. With the majority back, it takes writes again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MinorityNodeIT {

  private DataPlane plane;

  @BeforeAll
  void start() {
    // The control plane and one data-plane node: two members of the three asked for.
    plane = new DataPlane(Map.of(), Map.of("plinth.cluster.min-members", "3"));
  }

  @AfterAll
  void stop() {
    plane.close();
  }

  @Test
  void belowTheMajorityReadsAreFreshAndWritesAreRefusedWithNothingWritten() throws Exception {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient node = plane.as(tenant.secretKey());
    assertThat(plane.api.ready().json().encode()).contains("\"majority\":false");
    Response early = node.postJson("/v1/collections", DataPlane.collection("notes", "title:text"));
    assertThat(early.status()).as(early.body()).isEqualTo(503);
    assertThat(early.json().getString("code")).isEqualTo("cluster_unavailable");
    assertThat(node.get("/v1/collections").status()).as("reads go on").isEqualTo(200);

    // A third member: the majority, and writes, are back.
    TestNodes.Node third = plane.anotherDataPlaneNode(Map.of("plinth.shutdown.timeout", "0ms"));
    PlinthClient other = third.client().withHeader("apikey", tenant.secretKey());
    waitUntil(() -> plane.api.ready().json().encode().contains("\"majority\":true"));
    assertThat(
            node.postJson("/v1/collections", DataPlane.collection("notes", "title:text")).status())
        .isEqualTo(201);
    Response created =
        node.postJson("/v1/collections/notes/records", new JsonObject().put("title", "one"));
    assertThat(created.status()).isEqualTo(201);
    String path = "/v1/collections/notes/records/" + created.json().getString("id");
    assertThat(other.get(path).json().getString("title")).isEqualTo("one"); // cached there now

    // The third member dies: below the majority again.
    DataPlane.kill(third);
    waitUntil(() -> plane.api.ready().json().encode().contains("\"majority\":false"));
    assertThat(plane.api.ready().status()).as("still ready").isEqualTo(200);
    assertThat(node.get(path).json().getString("title")).isEqualTo("one");
    Response refused = node.patch(path, new JsonObject().put("title", "two"));
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().getString("code")).isEqualTo("cluster_unavailable");
    assertThat(refused.header("Retry-After")).contains("2");
    assertThat(
            node.postJson("/v1/collections/notes/records", new JsonObject().put("title", "x"))
                .status())
        .isEqualTo(503);
    assertThat(node.delete(path).status()).isEqualTo(503);
    assertThat(node.get("/v1/collections/notes/records?count=exact").json().getLong("total"))
        .as("nothing was written")
        .isEqualTo(1);
    assertThat(node.get(path).json().getString("title")).isEqualTo("one");
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
