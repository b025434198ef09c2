package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import io.plinth.platform.cluster.ClusterMaps;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The record cache's budget per tenant on one data-plane node: a tenant reading more records than
 * its budget gets them all (from PostgreSQL past the budget), holds no more than its budget in the
 * cache, and another tenant's cached records stay hits. Hits, misses and refused fills are counted
 * in /metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordCacheBudgetIT {

  private static final String RECORDS = "/v1/collections/items/records";
  private static final int BUDGET = 5;
  private DataPlane plane;

  @BeforeAll
  void start() {
    plane =
        new DataPlane(
            Map.of(
                "plinth.records.cache",
                "true",
                "plinth.records.cache.tenant-entries",
                String.valueOf(BUDGET)));
  }

  @AfterAll
  void stop() {
    plane.close();
  }

  /** A new tenant with a collection of {@code count} records; their paths. */
  private List<String> tenantWithRecords(PlinthClient[] client, int count) {
    DataPlane.Tenant tenant = plane.newTenant("internal");
    client[0] = plane.api.withHeader("apikey", tenant.secretKey());
    Response created =
        client[0].postJson("/v1/collections", DataPlane.collection("items", "n:integer"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Response inserted = client[0].postJson(RECORDS, new JsonObject().put("n", i));
      assertThat(inserted.status()).as(inserted.body()).isEqualTo(201);
      paths.add(RECORDS + "/" + inserted.json().getString("id"));
    }
    return paths;
  }

  /** Reads every path, then awaits the fills (the reads do not) until {@code cached} are held. */
  private void readAll(PlinthClient client, List<String> paths, int cached) {
    for (String path : paths) {
      Response read = client.get(path);
      assertThat(read.status()).as(read.body()).isEqualTo(200);
    }
    Eventually.poll(Duration.ofSeconds(10), this::cachedRecords, n -> n == cached);
  }

  /** Records the cluster holds: entries with a value, not the tombstones a claim leaves. */
  private long cachedRecords() {
    IMap<String, String> records =
        plane.firstDataPlaneNode().node().infrastructure().cluster().getMap(ClusterMaps.RECORDS);
    return records.values().stream().filter(v -> !v.startsWith("\u0000")).count();
  }

  @Test
  void aTenantOverItsBudgetDoesNotTakeAnotherTenantsPlace() throws Exception {
    PlinthClient[] quiet = new PlinthClient[1];
    PlinthClient[] greedy = new PlinthClient[1];
    List<String> quietRecords = tenantWithRecords(quiet, 3);
    List<String> greedyRecords = tenantWithRecords(greedy, 20);
    double[] start = counts();

    readAll(quiet[0], quietRecords, 3); // 3 misses, 3 fills
    readAll(greedy[0], greedyRecords, 3 + BUDGET); // 20 misses, 5 fills, 15 over budget
    double[] afterFirstPass = counts();
    assertThat(afterFirstPass[0] - start[0]).as("hits").isZero();
    assertThat(afterFirstPass[1] - start[1]).as("misses").isEqualTo(23);
    assertThat(afterFirstPass[2] - start[2]).as("over budget").isEqualTo(15);

    readAll(greedy[0], greedyRecords, 3 + BUDGET); // only its budget's worth is cached
    double[] afterGreedy = counts();
    assertThat(afterGreedy[0] - afterFirstPass[0]).as("greedy hits").isEqualTo(BUDGET);
    assertThat(afterGreedy[2] - afterFirstPass[2]).as("over budget").isEqualTo(15);

    readAll(quiet[0], quietRecords, 3 + BUDGET); // still all cached
    double[] end = counts();
    assertThat(end[0] - afterGreedy[0]).as("quiet hits").isEqualTo(3);
    assertThat(end[1] - afterGreedy[1]).as("quiet misses").isZero();
  }

  /** Record-cache hits, misses and fills refused over budget on the node, from /metrics. */
  private double[] counts() {
    String metrics = plane.api.metrics().body();
    return new double[] {
      value(metrics, "plinth_cache_gets_total", "result=\"hit\""),
      value(metrics, "plinth_cache_gets_total", "result=\"miss\""),
      value(metrics, "plinth_cache_over_budget_total", "")
    };
  }

  private static double value(String metrics, String name, String tag) {
    Matcher m =
        Pattern.compile(
                Pattern.quote(name)
                    + "\\{[^}]*cache=\"plinth.records\"[^}]*"
                    + Pattern.quote(tag)
                    + "[^}]*\\} ([0-9.E+]+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
