package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Changes made on one node reach every data-plane node through pushed invalidations: revoking a
 * key, suspending a tenant, changing a collection. Three data-plane nodes and a control plane in
 * one cluster; each change is timed from when it was sent until every node shows it, and p50, p99
 * and max are printed. Each node's cache is warm before the change, so a node that missed the
 * invalidation would keep answering the old way for the caches' time-to-live.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropagationIT {

  private static final int TRIALS = 20;
  private static final long LIMIT_MILLIS = 1_000;
  private DataPlane plane;
  private List<PlinthClient> nodes;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    nodes = plane.dataPlaneNodes(2);
  }

  @Test
  void aRevokedKeyIsRefusedByEveryNodeWithinASecond() {
    DataPlane.Tenant tenant = plane.newTenant();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < TRIALS; i++) {
      JsonObject created =
          plane
              .admin
              .postJson(
                  "/admin/v1/tenants/" + tenant.slug() + "/keys",
                  new JsonObject().put("kind", "secret").put("name", "k" + i))
              .json();
      String key = created.getString("key");
      warm(key);
      millis.addAll(
          timeUntilEveryNode(
              () ->
                  plane.admin.delete(
                      "/admin/v1/tenants/" + tenant.slug() + "/keys/" + created.getString("id")),
              key,
              r -> r.status() == 401));
    }
    report("key revocation", millis);
  }

  @Test
  void aSuspensionAndAResumeReachEveryNodeWithinASecond() {
    DataPlane.Tenant tenant = plane.newTenant();
    String base = "/admin/v1/tenants/" + tenant.slug();
    List<Long> suspend = new ArrayList<>();
    List<Long> resume = new ArrayList<>();
    warm(tenant.secretKey());
    for (int i = 0; i < TRIALS; i++) {
      suspend.addAll(
          timeUntilEveryNode(
              () -> plane.admin.postJson(base + ":suspend", new JsonObject()),
              tenant.secretKey(),
              r -> r.status() == 403));
      resume.addAll(
          timeUntilEveryNode(
              () -> plane.admin.postJson(base + ":resume", new JsonObject()),
              tenant.secretKey(),
              r -> r.status() == 200));
    }
    report("tenant suspension", suspend);
    report("tenant resume", resume);
  }

  @Test
  void aCollectionChangedThroughOneNodeIsSeenByEveryNodeWithinASecond() {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient first = nodes.get(0).withHeader("apikey", tenant.secretKey());
    assertThat(first.postJson("/v1/collections", DataPlane.collection("items", "a:text")).status())
        .isEqualTo(201);
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < TRIALS; i++) {
      String rule = i % 2 == 0 ? "public" : "secret";
      PlinthClient changer = nodes.get(1 + i % 2).withHeader("apikey", tenant.secretKey());
      // Read with the publishable key: the read rule decides between 200 and 403.
      PlinthClient any = nodes.get(0).withHeader("apikey", tenant.secretKey());
      millis.addAll(
          timeUntilEveryNode(
              () ->
                  changer.patch(
                      "/v1/collections/items",
                      new JsonObject().put("rules", new JsonObject().put("read", rule))),
              tenant.publishableKey(),
              "/v1/collections/items/records",
              r -> r.status() == (rule.equals("public") ? 200 : 403)));
      assertThat(any.get("/v1/collections/items").json().getJsonObject("rules").getString("read"))
          .isEqualTo(rule);
    }
    report("collection change", millis);
  }

  /** Every node has the key's (and its tenant's) entries in its near cache. */
  private void warm(String key) {
    for (PlinthClient node : nodes) {
      assertThat(node.withHeader("apikey", key).get("/v1/collections").status()).isEqualTo(200);
    }
  }

  private List<Long> timeUntilEveryNode(Runnable change, String key, Predicate<Response> changed) {
    return timeUntilEveryNode(change, key, "/v1/collections", changed);
  }

  /**
   * Sends the change, and polls every node (each on its own thread) until it answers {@code
   * changed}: the milliseconds each took from when the change was sent.
   */
  private List<Long> timeUntilEveryNode(
      Runnable change, String key, String path, Predicate<Response> changed) {
    long sent = System.nanoTime();
    CompletableFuture<Void> changing = CompletableFuture.runAsync(change);
    List<CompletableFuture<Long>> polls = new ArrayList<>();
    for (PlinthClient node : nodes) {
      PlinthClient client = node.withHeader("apikey", key);
      polls.add(
          CompletableFuture.supplyAsync(
              () -> {
                long deadline = sent + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                  if (changed.test(client.get(path))) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                  }
                }
                throw new AssertionError("a node never saw the change");
              }));
    }
    changing.join();
    return polls.stream().map(CompletableFuture::join).toList();
  }

  private static void report(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    long p50 = sorted.get(sorted.size() / 2);
    long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    long max = sorted.get(sorted.size() - 1);
    System.out.printf(
        "propagation of %s to 3 data-plane nodes (%d observations): p50 %d ms, p99 %d ms, max %d"
            + " ms%n",
        what, sorted.size(), p50, p99, max);
    assertThat(p99).as(what + " p99 ms, all: " + sorted).isLessThan(LIMIT_MILLIS);
  }
}
