package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rate limits from the tenant's plan, counted across three data-plane nodes: a flood spread over
 * all of them gets the plan's rate per key and per tenant within 10%, the rest 429 with {@code
 * Retry-After} and the {@code RateLimit} headers, and a plan change applies within a second.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

  private static final int SECONDS = 4;
  private DataPlane plane;
  private List<PlinthClient> nodes;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    nodes = plane.dataPlaneNodes(2);
  }

  @Test
  void oneKeyGetsThePlansRatePerKeyAcrossThreeNodes() throws Exception {
    DataPlane.Tenant tenant = plane.newTenant("pro"); // 200/s per tenant, 100/s per key
    Flood flood = flood(List.of(tenant.secretKey()));
    System.out.printf("one key on pro (100/s per key): %s%n", flood);
    assertThat(flood.admittedPerSecond()).as(flood.toString()).isBetween(90.0, 110.0);

    Response refused = flood.aRefusal();
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("code")).isEqualTo("rate_limited");
    assertThat(refused.header("Retry-After")).contains("1");
    assertThat(refused.header("RateLimit-Policy"))
        .contains("\"tenant\";q=200;w=1, \"key\";q=100;w=1");
    assertThat(refused.header("RateLimit").orElseThrow()).startsWith("\"key\";r=0;t=1");
  }

  @Test
  void severalKeysTogetherGetThePlansRatePerTenant() throws Exception {
    DataPlane.Tenant tenant = plane.newTenant("pro");
    List<String> keys = new ArrayList<>(List.of(tenant.secretKey(), tenant.publishableKey()));
    keys.add(
        plane
            .admin
            .postJson(
                "/admin/v1/tenants/" + tenant.slug() + "/keys",
                new JsonObject().put("kind", "secret").put("name", "third"))
            .json()
            .getString("key"));
    Flood flood = flood(keys); // 3 keys x 100/s would be 300/s; the tenant's 200/s decides
    System.out.printf("three keys on pro (200/s per tenant): %s%n", flood);
    assertThat(flood.admittedPerSecond()).as(flood.toString()).isBetween(180.0, 220.0);
  }

  @Test
  void aPlanChangeAppliesWithinASecond() throws Exception {
    DataPlane.Tenant tenant = plane.newTenant("free"); // 10/s
    PlinthClient client = plane.as(tenant.secretKey());
    assertThat(client.get("/v1/collections").header("RateLimit-Policy").orElseThrow())
        .contains("\"key\";q=10;w=1");
    assertThat(
            plane
                .admin
                .patch("/admin/v1/tenants/" + tenant.slug(), new JsonObject().put("plan", "pro"))
                .json()
                .getString("plan"))
        .isEqualTo("pro");
    long changed = System.nanoTime();
    for (PlinthClient node : nodes) {
      Response response = node.withHeader("apikey", tenant.secretKey()).get("/v1/collections");
      assertThat(response.header("RateLimit-Policy").orElseThrow()).contains("\"key\";q=100;w=1");
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed)).isLessThan(1_000);
    Response badPlan =
        plane.admin.patch("/admin/v1/tenants/" + tenant.slug(), new JsonObject().put("plan", "x"));
    assertThat(badPlan.status()).isEqualTo(400);
  }

  /** What a flood got: requests admitted in each whole second of the run. */
  private record Flood(List<Long> admittedBySecond, long refused, Response refusal) {
    double admittedPerSecond() {
      return admittedBySecond.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    Response aRefusal() {
      return refusal;
    }

    @Override
    public String toString() {
      return "admitted per second " + admittedBySecond + ", refused " + refused;
    }
  }

  /**
   * Sends as fast as 24 threads can, round-robin over the nodes and keys, for {@value #SECONDS}
   * whole seconds plus the partial ones around them, which are not counted.
   */
  private Flood flood(List<String> keys) throws Exception {
    long firstSecond = System.currentTimeMillis() / 1000 + 1;
    long end = (firstSecond + SECONDS) * 1000;
    Map<Long, AtomicLong> admitted = new ConcurrentHashMap<>();
    AtomicLong refused = new AtomicLong();
    Response[] refusal = new Response[1];
    ExecutorService threads = Executors.newFixedThreadPool(24);
    for (int t = 0; t < 24; t++) {
      PlinthClient client =
          nodes.get(t % nodes.size()).withHeader("apikey", keys.get(t % keys.size()));
      threads.submit(
          () -> {
            while (System.currentTimeMillis() < end) {
              long second = System.currentTimeMillis() / 1000;
              // Admitted requests end in a 404 that needs no database work, so the flood
              // measures the limiter, not PostgreSQL on a busy machine.
              Response response = client.get("/v1/collections/Nope/records");
              if (response.status() == 429) {
                refused.incrementAndGet();
                refusal[0] = response;
              } else {
                assertThat(response.status()).isEqualTo(404);
                admitted.computeIfAbsent(second, s -> new AtomicLong()).incrementAndGet();
              }
            }
            return null;
          });
    }
    threads.shutdown();
    assertThat(threads.awaitTermination(SECONDS + 30, TimeUnit.SECONDS)).isTrue();
    List<Long> bySecond = new ArrayList<>();
    for (long s = firstSecond; s < firstSecond + SECONDS; s++) {
      bySecond.add(admitted.getOrDefault(s, new AtomicLong()).get());
    }
    return new Flood(bySecond, refused.get(), refusal[0]);
  }
}
