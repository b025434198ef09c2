package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /v1} authentication and collections, over HTTP, with tenants made by the control plane.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectionsApiIT {

  private DataPlane plane;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
  }

  private static JsonObject items() {
    return new JsonObject()
        .put("name", "items")
        .put(
            "fields",
            new JsonArray()
                .add(
                    new JsonObject().put("name", "title").put("type", "text").put("required", true))
                .add(
                    new JsonObject()
                        .put("name", "price")
                        .put("type", "number")
                        .put("indexed", true))
                .add(new JsonObject().put("name", "sku").put("type", "text").put("unique", true)))
        .put("rules", new JsonObject().put("read", "public").put("write", "secret"));
  }

  @Test
  void requestsWithoutAValidKeyAreRefusedBeforeAnyWork() {
    DataPlane.Tenant tenant = plane.newTenant();
    Response none = plane.api.get("/v1/collections");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().getString("code")).isEqualTo("missing_api_key");

    String key = tenant.publishableKey();
    char last = key.charAt(key.length() - 1);
    for (String bad :
        List.of(
            "garbage",
            key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a'),
            ApiKeys.generate(KeyKind.PUBLISHABLE).plaintext(),
            ApiKeys.generate(KeyKind.OPERATOR).plaintext())) {
      Response refused = plane.as(bad).get("/v1/collections");
      assertThat(refused.status()).as(bad).isEqualTo(401);
      assertThat(refused.json().getString("code")).isEqualTo("invalid_api_key");
    }
    assertThat(plane.api.withBearer(tenant.publishableKey()).get("/v1/collections").status())
        .isEqualTo(200);
  }

  @Test
  void aRevokedKeyAndASuspendedTenantAreRefusedWithinSeconds() {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient client = plane.as(tenant.secretKey());
    assertThat(client.get("/v1/collections").status()).isEqualTo(200);

    plane.admin.postJson("/admin/v1/tenants/" + tenant.slug() + ":suspend", new JsonObject());
    Response suspended =
        Eventually.poll(
            Duration.ofSeconds(5), () -> client.get("/v1/collections"), r -> r.status() != 200);
    assertThat(suspended.status()).isEqualTo(403);
    assertThat(suspended.json().getString("code")).isEqualTo("tenant_suspended");
    plane.admin.postJson("/admin/v1/tenants/" + tenant.slug() + ":resume", new JsonObject());
    Eventually.poll(
        Duration.ofSeconds(5), () -> client.get("/v1/collections"), r -> r.status() == 200);

    String keyId =
        plane
            .admin
            .get("/admin/v1/tenants/" + tenant.slug() + "/keys")
            .json()
            .getJsonArray("items")
            .stream()
            .map(JsonObject.class::cast)
            .filter(k -> k.getString("kind").equals("secret"))
            .findFirst()
            .orElseThrow()
            .getString("id");
    plane.admin.delete("/admin/v1/tenants/" + tenant.slug() + "/keys/" + keyId);
    Response revoked =
        Eventually.poll(
            Duration.ofSeconds(5), () -> client.get("/v1/collections"), r -> r.status() != 200);
    assertThat(revoked.status()).isEqualTo(401);
  }

  @Test
  void aSecretKeyCreatesACollectionAsARealTable() throws Exception {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient secret = plane.as(tenant.secretKey());

    Response created = secret.postJson("/v1/collections", items());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getString("name")).isEqualTo("items");

    Response again = secret.postJson("/v1/collections", items());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("code")).isEqualTo("collection_exists");
    assertThat(secret.get("/v1/collections/items").json().getJsonArray("fields")).hasSize(3);
    assertThat(
            plane.as(tenant.publishableKey()).get("/v1/collections").json().getJsonArray("items"))
        .hasSize(1);

    try (Connection c = plane.database.connect();
        ResultSet columns =
            c.createStatement()
                .executeQuery(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                        + tenant.schema()
                        + "' AND table_name = 'items' ORDER BY ordinal_position")) {
      StringBuilder names = new StringBuilder();
      while (columns.next()) {
        names.append(columns.getString(1)).append(' ');
      }
      assertThat(names.toString().trim())
          .isEqualTo("id owner created_at updated_at version title price sku");
    }

    Response patched =
        secret.patch(
            "/v1/collections/items",
            new JsonObject()
                .put(
                    "addFields",
                    new JsonArray()
                        .add(new JsonObject().put("name", "stock").put("type", "integer")))
                .put("addIndexes", new JsonArray().add("title"))
                .put("rules", new JsonObject().put("read", "authenticated")));
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().getJsonArray("fields")).hasSize(4);
    assertThat(secret.get("/v1/collections/items").json().getJsonObject("rules").getString("read"))
        .isEqualTo("authenticated");
    try (Connection c = plane.database.connect();
        ResultSet stock =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                        + tenant.schema()
                        + "' AND table_name = 'items' AND column_name = 'stock'")) {
      stock.next();
      assertThat(stock.getInt(1)).isOne();
    }

    assertThat(secret.delete("/v1/collections/items").status()).isEqualTo(204);
    assertThat(secret.get("/v1/collections/items").status()).isEqualTo(404);
  }

  @Test
  void collectionsChangeOnlyWithASecretKeyAndValidDefinitions() {
    DataPlane.Tenant tenant = plane.newTenant();
    Response publishable = plane.as(tenant.publishableKey()).postJson("/v1/collections", items());
    assertThat(publishable.status()).isEqualTo(403);
    assertThat(publishable.json().getString("code")).isEqualTo("secret_key_required");

    Response invalid =
        plane
            .as(tenant.secretKey())
            .postJson(
                "/v1/collections",
                new JsonObject()
                    .put("name", "select")
                    .put(
                        "fields",
                        new JsonArray()
                            .add(new JsonObject().put("name", "id").put("type", "money"))));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().getString("code")).isEqualTo("validation_failed");
    assertThat(invalid.json().getJsonArray("errors").size()).isGreaterThanOrEqualTo(3);
    assertThat(plane.as(tenant.secretKey()).get("/v1/collections").json().getJsonArray("items"))
        .isEmpty();
  }

  @Test
  void aCollectionChangedThroughOneNodeIsSeenByAnotherWithinSeconds() {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient first = plane.as(tenant.secretKey());
    PlinthClient second = plane.anotherDataPlaneNode().withHeader("apikey", tenant.secretKey());
    assertThat(first.postJson("/v1/collections", items()).status()).isEqualTo(201);
    JsonObject record = new JsonObject().put("title", "t").put("colour", "red");
    assertThat(second.postJson("/v1/collections/items/records", record).status()).isEqualTo(422);

    JsonObject addColour =
        new JsonObject()
            .put(
                "addFields",
                new JsonArray().add(new JsonObject().put("name", "colour").put("type", "text")));
    assertThat(first.patch("/v1/collections/items", addColour).status()).isEqualTo(200);

    Eventually.poll(
        Duration.ofSeconds(10),
        () -> second.postJson("/v1/collections/items/records", record),
        r -> r.status() == 201);
  }

  @Test
  void oneTenantNeverSeesAnothersCollections() {
    DataPlane.Tenant a = plane.newTenant();
    DataPlane.Tenant b = plane.newTenant();
    assertThat(plane.as(a.secretKey()).postJson("/v1/collections", items()).status())
        .isEqualTo(201);

    assertThat(plane.as(b.secretKey()).get("/v1/collections/items").status()).isEqualTo(404);
    assertThat(plane.as(b.secretKey()).get("/v1/collections").json().getJsonArray("items"))
        .isEmpty();
    assertThat(plane.as(b.secretKey()).delete("/v1/collections/items").status()).isEqualTo(404);
    assertThat(plane.as(a.secretKey()).get("/v1/collections/items").status()).isEqualTo(200);
  }
}
