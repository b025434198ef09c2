package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plan's quotas on writes: rows (counted exactly with every write) and bytes on disk
 * (measured), refused with 403 {@code quota_exceeded} and nothing written; usage shown by the admin
 * API; an operator's own limits for one tenant.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaIT {

  private DataPlane plane;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
  }

  @Test
  void insertsPastTheRowQuotaAreRefusedWholeAndDeletesMakeRoom() {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient api = plane.as(tenant.secretKey());
    created(api.postJson("/v1/collections", DataPlane.collection("notes", "title:text")));
    setLimits(tenant, new JsonObject().put("maxRows", 5));

    assertThat(api.post("/v1/collections/notes/records", "application/json", batch(3)).status())
        .isEqualTo(201);
    Response tooMany = api.post("/v1/collections/notes/records", "application/json", batch(3));
    assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(403);
    assertThat(tooMany.json().getString("code")).isEqualTo("quota_exceeded");
    assertThat(tooMany.json().getString("detail")).contains("5 rows");
    assertThat(count(api, "notes")).as("a refused batch writes nothing").isEqualTo(3);

    assertThat(api.post("/v1/collections/notes/records", "application/json", batch(2)).status())
        .isEqualTo(201);
    assertThat(usage(tenant).getLong("rows")).isEqualTo(5);
    Response sixth = api.postJson("/v1/collections/notes/records", note(6));
    assertThat(sixth.status()).isEqualTo(403);

    String id = firstId(api, "notes");
    assertThat(api.delete("/v1/collections/notes/records/" + id).status()).isEqualTo(204);
    assertThat(usage(tenant).getLong("rows")).isEqualTo(4);
    assertThat(api.postJson("/v1/collections/notes/records", note(7)).status()).isEqualTo(201);
  }

  @Test
  void theRowCountStaysExactUnderConcurrentWritesAndDroppedCollections() {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient api = plane.as(tenant.secretKey());
    created(api.postJson("/v1/collections", DataPlane.collection("a", "title:text")));
    created(api.postJson("/v1/collections", DataPlane.collection("b", "title:text")));
    int quota = 40;
    setLimits(tenant, new JsonObject().put("maxRows", quota));

    // 100 single inserts at once, over two collections, race for 40 rows.
    List<CompletableFuture<Response>> inserts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      inserts.add(
          api.postJsonAsync("/v1/collections/" + (i % 2 == 0 ? "a" : "b") + "/records", note(i)));
    }
    long admitted = inserts.stream().filter(f -> f.join().status() == 201).count();
    long refused =
        inserts.stream()
            .filter(f -> f.join().status() == 403)
            .peek(f -> assertThat(f.join().json().getString("code")).isEqualTo("quota_exceeded"))
            .count();
    long stored = count(api, "a") + count(api, "b");
    System.out.printf(
        "100 concurrent inserts for a quota of %d: %d admitted, %d refused%n",
        quota, admitted, refused);
    assertThat(admitted + refused).isEqualTo(100);
    assertThat(stored).isEqualTo(admitted);
    // A writer sees the others' committed rows, not those still in flight: the overshoot is at
    // most the tenant's concurrent database work (plinth.tenant.concurrency, 8).
    assertThat(stored).isBetween((long) quota, quota + 8L);
    assertThat(usage(tenant).getLong("rows")).as("the count is exact").isEqualTo(stored);

    long inA = count(api, "a");
    assertThat(api.delete("/v1/collections/a").status()).isEqualTo(204);
    assertThat(usage(tenant).getLong("rows")).isEqualTo(stored - inA);
  }

  @Test
  void writesPastTheStorageQuotaAreRefusedButDeletesAreNot() {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient api = plane.as(tenant.secretKey());
    created(api.postJson("/v1/collections", DataPlane.collection("notes", "title:text")));
    Response first = api.postJson("/v1/collections/notes/records", note(1));
    assertThat(first.status()).isEqualTo(201);
    long onDisk = usage(tenant).getLong("storageBytes");
    assertThat(onDisk).isPositive();

    setLimits(tenant, new JsonObject().put("maxStorageBytes", onDisk / 2));
    Response insert = api.postJson("/v1/collections/notes/records", note(2));
    assertThat(insert.status()).as(insert.body()).isEqualTo(403);
    assertThat(insert.json().getString("code")).isEqualTo("quota_exceeded");
    assertThat(insert.json().getString("detail")).contains("storage");
    String id = first.json().getString("id");
    Response patch =
        api.patch("/v1/collections/notes/records/" + id, new JsonObject().put("title", "longer"));
    assertThat(patch.status()).isEqualTo(403);
    assertThat(api.get("/v1/collections/notes/records/" + id).json().getString("title"))
        .isEqualTo("note 1");
    assertThat(api.delete("/v1/collections/notes/records/" + id).status()).isEqualTo(204);

    setLimits(tenant, new JsonObject().put("maxStorageBytes", onDisk * 100));
    assertThat(api.postJson("/v1/collections/notes/records", note(3)).status()).isEqualTo(201);
  }

  @Test
  void badLimitsAreRefusedAndChangeNothing() {
    DataPlane.Tenant tenant = plane.newTenant("pro");
    JsonObject before = plane.admin.get("/admin/v1/tenants/" + tenant.slug()).json();
    Response bad =
        plane.admin.patch(
            "/admin/v1/tenants/" + tenant.slug(),
            new JsonObject()
                .put("plan", "free")
                .put(
                    "limits",
                    new JsonObject().put("maxRows", -1).put("colour", 3).put("maxFields", 1e3)));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("code")).isEqualTo("validation_failed");
    assertThat(
            bad.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("limits.maxRows", "limits.colour", "limits.maxFields");
    JsonObject after = plane.admin.get("/admin/v1/tenants/" + tenant.slug()).json();
    assertThat(after.getString("plan")).isEqualTo("pro");
    assertThat(after.getJsonObject("limits")).isEqualTo(before.getJsonObject("limits"));

    JsonObject custom =
        plane
            .admin
            .patch(
                "/admin/v1/tenants/" + tenant.slug(),
                new JsonObject().put("limits", new JsonObject().put("maxRows", 123)))
            .json();
    assertThat(custom.getString("plan")).isEqualTo("pro");
    assertThat(custom.getJsonObject("limits").getLong("maxRows")).isEqualTo(123);
    assertThat(custom.getJsonObject("limits").getInteger("maxFields")).isEqualTo(100);
  }

  private void setLimits(DataPlane.Tenant tenant, JsonObject limits) {
    Response response =
        plane.admin.patch(
            "/admin/v1/tenants/" + tenant.slug(), new JsonObject().put("limits", limits));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  private JsonObject usage(DataPlane.Tenant tenant) {
    return plane.admin.get("/admin/v1/tenants/" + tenant.slug()).json().getJsonObject("usage");
  }

  private static long count(PlinthClient api, String collection) {
    return api.get("/v1/collections/" + collection + "/records?count=exact&limit=1")
        .json()
        .getLong("total");
  }

  private static String firstId(PlinthClient api, String collection) {
    return api.get("/v1/collections/" + collection + "/records?limit=1")
        .json()
        .getJsonArray("items")
        .getJsonObject(0)
        .getString("id");
  }

  private static void created(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  private static JsonObject note(int n) {
    return new JsonObject().put("title", "note " + n);
  }

  private static String batch(int n) {
    return new JsonArray(IntStream.range(0, n).mapToObj(QuotaIT::note).toList()).encode();
  }
}
