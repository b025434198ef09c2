package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A data-plane node that stops writes the requests it counted in the unfinished minute: they are in
 * the tenant's usage series at once, not lost with the node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedDataPlane.class)
class UsageAtStopIT {

  @Test
  void aStoppedNodesCountsOfTheRunningMinuteAreKept(DataPlane plane) throws Exception {
    DataPlane.Tenant tenant = plane.newTenant();
    // The default flush interval, a minute: without the stop's flush nothing would be written yet.
    TestNodes.Node node = plane.anotherDataPlaneNode(Map.of());
    PlinthClient client = node.client().withHeader("apikey", tenant.secretKey());
    for (int i = 0; i < 7; i++) {
      assertThat(client.get("/v1/collections").status()).isEqualTo(200);
    }
    node.node().stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    long requests =
        plane
            .admin
            .get("/admin/v1/usage/series?range=1h&tenant=" + tenant.slug())
            .json()
            .getJsonArray("points")
            .stream()
            .mapToLong(p -> ((JsonObject) p).getLong("requests", 0L))
            .sum();
    assertThat(requests).isEqualTo(7);
  }
}
