package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Records over HTTP: insert, batch, get with ETags, patch with If-Match, delete, rules. */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsApiIT {

  private DataPlane plane;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
  }

  private static JsonObject field(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  /** A tenant with collection {@code items}: public reads, secret writes. */
  private DataPlane.Tenant tenantWithItems(String readRule) {
    DataPlane.Tenant tenant = plane.newTenant();
    JsonObject items =
        new JsonObject()
            .put("name", "items")
            .put(
                "fields",
                new JsonArray()
                    .add(field("title", "text").put("required", true))
                    .add(field("price", "number"))
                    .add(field("qty", "integer").put("default", 0))
                    .add(field("sku", "text").put("unique", true))
                    .add(field("published", "boolean"))
                    .add(field("at", "timestamp"))
                    .add(field("ref", "uuid"))
                    .add(field("meta", "json")))
            .put("rules", new JsonObject().put("read", readRule).put("write", "secret"));
    Response created = plane.as(tenant.secretKey()).postJson("/v1/collections", items);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return tenant;
  }

  private static JsonObject item(String title) {
    return new JsonObject()
        .put("title", title)
        .put("price", 9.5)
        .put("published", true)
        .put("at", "2026-11-28T10:00:00Z")
        .put("ref", UUID.randomUUID().toString())
        .put("meta", new JsonObject().put("color", "red"));
  }

  @Test
  void aRecordIsInsertedReadWithETagsPatchedWithIfMatchAndDeleted() {
    DataPlane.Tenant tenant = tenantWithItems("public");
    PlinthClient secret = plane.as(tenant.secretKey());

    Response created = secret.postJson("/v1/collections/items/records", item("lamp"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject record = created.json();
    String id = record.getString("id");
    assertThat(record.getLong("version")).isEqualTo(1);
    assertThat(record.getLong("qty")).isZero();
    assertThat(record.getJsonObject("meta").getString("color")).isEqualTo("red");
    assertThat(record.getString("owner")).isNull();
    assertThat(created.header("ETag")).hasValue("\"1\"");
    String path = "/v1/collections/items/records/" + id;
    assertThat(created.header("Location")).hasValue(path);

    PlinthClient publishable = plane.as(tenant.publishableKey());
    Response read = publishable.get(path);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().getString("title")).isEqualTo("lamp");
    assertThat(publishable.withHeader("If-None-Match", "\"1\"").get(path).status()).isEqualTo(304);

    Response patched =
        secret.withHeader("If-Match", "\"1\"").patch(path, new JsonObject().put("price", 12.0));
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().getLong("version")).isEqualTo(2);
    assertThat(patched.json().getDouble("price")).isEqualTo(12.0);
    assertThat(patched.json().getString("title")).isEqualTo("lamp");
    Response stale =
        secret.withHeader("If-Match", "\"1\"").patch(path, new JsonObject().put("price", 1.0));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.json().getString("code")).isEqualTo("version_mismatch");
    assertThat(secret.get(path).json().getDouble("price")).isEqualTo(12.0);

    assertThat(secret.delete(path).status()).isEqualTo(204);
    assertThat(secret.get(path).status()).isEqualTo(404);
    assertThat(secret.delete(path).status()).isEqualTo(404);
    assertThat(secret.get("/v1/collections/items/records/not-a-uuid").status()).isEqualTo(404);
  }

  @Test
  void recordsThatDoNotFitTheCollectionAre422WithEveryFieldNamed() throws Exception {
    DataPlane.Tenant tenant = tenantWithItems("public");
    Response bad =
        plane
            .as(tenant.secretKey())
            .postJson(
                "/v1/collections/items/records",
                new JsonObject()
                    .put("price", "cheap")
                    .put("qty", 1.5)
                    .put("at", "yesterday")
                    .put("colour", "red")
                    .put("version", 7));

    assertThat(bad.status()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    bad.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    assertThat(fields)
        .containsExactlyInAnyOrder("price", "qty", "at", "colour", "version", "title");
    assertThat(rows(tenant)).isZero();
  }

  @Test
  void aBatchIsAllOrNothing() throws Exception {
    DataPlane.Tenant tenant = tenantWithItems("public");
    PlinthClient secret = plane.as(tenant.secretKey());

    Response three =
        secret.post(
            "/v1/collections/items/records",
            "application/json",
            new JsonArray()
                .add(item("a"))
                .add(item("b").put("sku", "B-1"))
                .add(item("c"))
                .encode());
    assertThat(three.status()).as(three.body()).isEqualTo(201);
    assertThat(new JsonArray(three.body())).hasSize(3);

    Response oneBad =
        secret.post(
            "/v1/collections/items/records",
            "application/json",
            new JsonArray().add(item("d")).add(new JsonObject().put("title", 5)).encode());
    assertThat(oneBad.status()).isEqualTo(422);
    assertThat(oneBad.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("[1].title");
    Response duplicate =
        secret.post(
            "/v1/collections/items/records",
            "application/json",
            new JsonArray().add(item("e")).add(item("f").put("sku", "B-1")).encode());
    assertThat(duplicate.status()).isEqualTo(409);
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(new JsonObject().put("title", "t" + i));
    }
    assertThat(
            secret
                .post("/v1/collections/items/records", "application/json", tooMany.encode())
                .status())
        .isEqualTo(400);
    assertThat(rows(tenant)).isEqualTo(3);
  }

  @Test
  void rulesDecideWhatAPublishableKeyMayDo() {
    DataPlane.Tenant open = tenantWithItems("public");
    Response write =
        plane.as(open.publishableKey()).postJson("/v1/collections/items/records", item("x"));
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.json().getString("code")).isEqualTo("secret_key_required");

    DataPlane.Tenant owned = tenantWithItems("owner");
    String id =
        plane
            .as(owned.secretKey())
            .postJson("/v1/collections/items/records", item("y"))
            .json()
            .getString("id");
    Response read = plane.as(owned.publishableKey()).get("/v1/collections/items/records/" + id);
    assertThat(read.status()).isEqualTo(401);
    assertThat(read.json().getString("code")).isEqualTo("user_token_required");
  }

  @Test
  void oneTenantCannotReachAnothersRecordsEvenWithTheirIds() {
    DataPlane.Tenant a = tenantWithItems("public");
    DataPlane.Tenant b = tenantWithItems("public");
    String id =
        plane
            .as(a.secretKey())
            .postJson("/v1/collections/items/records", item("mine"))
            .json()
            .getString("id");
    String path = "/v1/collections/items/records/" + id;

    PlinthClient other = plane.as(b.secretKey());
    assertThat(other.get(path).status()).isEqualTo(404);
    assertThat(other.patch(path, new JsonObject().put("title", "stolen")).status()).isEqualTo(404);
    assertThat(other.delete(path).status()).isEqualTo(404);
    assertThat(plane.as(a.secretKey()).get(path).json().getString("title")).isEqualTo("mine");
  }

  private long rows(DataPlane.Tenant tenant) throws Exception {
    try (Connection c = plane.database.connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM " + tenant.schema() + ".items")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
