package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The record cache across three data-plane nodes: after a write is acknowledged by one node, no
 * node serves the old record, while readers on every node keep the cache warm and race to fill it;
 * a collection that changes shape or is dropped loses its cached records; hits are counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordCacheIT {

  private static final String RECORDS = "/v1/collections/items/records";
  private DataPlane plane;
  private List<PlinthClient> nodes;
  private DataPlane.Tenant tenant;

  @BeforeAll
  void start() {
    plane = new DataPlane(java.util.Map.of("plinth.records.cache", "true"));
    List<PlinthClient> all = plane.dataPlaneNodes(2);
    tenant = plane.newTenant("internal");
    nodes = all.stream().map(n -> n.withHeader("apikey", tenant.secretKey())).toList();
    assertThat(
            nodes
                .get(0)
                .postJson("/v1/collections", DataPlane.collection("items", "n:integer"))
                .status())
        .isEqualTo(201);
  }

  @AfterAll
  void stop() {
    plane.close();
  }

  @Test
  void afterAWriteIsAcknowledgedNoNodeServesTheOldRecord() throws Exception {
    Response inserted = nodes.get(0).postJson(RECORDS, new JsonObject().put("n", 0));
    assertThat(inserted.status()).as(inserted.body()).isEqualTo(201);
    String id = inserted.json().getString("id");
    String one = RECORDS + "/" + id;
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger reads = new AtomicInteger();
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (PlinthClient node : nodes) {
      readers.add(
          CompletableFuture.runAsync(
              () -> {
                while (writing.get()) {
                  Response read = node.get(one);
                  assertThat(read.status()).as(read.body()).isEqualTo(200);
                  reads.incrementAndGet();
                }
              }));
    }
    try {
      for (int i = 1; i <= 150; i++) {
        Response written = nodes.get(i % 3).patch(one, new JsonObject().put("n", i));
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        for (int n = 0; n < 3; n++) {
          JsonObject read = nodes.get(n).get(one).json();
          assertThat(read.getInteger("n")).as("node %d after write %d", n, i).isEqualTo(i);
        }
      }
    } finally {
      writing.set(false);
    }
    for (CompletableFuture<Void> reader : readers) {
      reader.get();
    }
    assertThat(reads.get()).isGreaterThan(100);

    assertThat(nodes.get(1).delete(one).status()).isEqualTo(204);
    for (PlinthClient node : nodes) {
      assertThat(node.get(one).status()).isEqualTo(404);
    }
    assertThat(hits()).as("cache hits counted on the first node").isGreaterThan(0);
  }

  @Test
  void aCollectionThatChangesShapeLosesItsCachedRecords() {
    String id = nodes.get(0).postJson(RECORDS, new JsonObject().put("n", 1)).json().getString("id");
    String one = RECORDS + "/" + id;
    for (PlinthClient node : nodes) {
      node.get(one); // cached everywhere
    }
    Response added =
        nodes
            .get(1)
            .patch(
                "/v1/collections/items",
                new JsonObject()
                    .put(
                        "addFields",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", "color")
                                    .put("type", "text")
                                    .put("default", "red"))));
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    for (PlinthClient node : nodes) {
      assertThat(node.get(one).json().getString("color")).isEqualTo("red");
    }
    for (PlinthClient node : nodes) {
      // Statements prepared on pooled connections before the change still work after it
      // (they once failed with "cached plan must not change result type").
      Response inserted = node.postJson(RECORDS, new JsonObject().put("n", 2));
      assertThat(inserted.status()).as(inserted.body()).isEqualTo(201);
      assertThat(inserted.json().getString("color")).isEqualTo("red");
      Response patched = node.patch(one, new JsonObject().put("color", "blue"));
      assertThat(patched.status()).as(patched.body()).isEqualTo(200);
      assertThat(node.get(RECORDS + "?color=eq.blue").status()).isEqualTo(200);
    }
  }

  private double hits() {
    Matcher m =
        Pattern.compile(
                "plinth_cache_gets_total\\{[^}]*cache=\"plinth.records\"[^}]*result=\"hit\"[^}]*\\}"
                    + " ([0-9.E]+)")
            .matcher(plane.api.metrics().body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
