package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.Eventually;
import io.plinth.testing.OpenApiContract;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator reads and changes a tenant's data through the control plane ({@code
 * /admin/v1/tenants/{slug}/data/…}), which forwards to a real data-plane node with a short-lived
 * key of the tenant's: the data plane's answers come back unchanged, preconditions included, each
 * request is audited, and every answer fits the admin API's document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedDataPlane.class)
class OperatorDataAccessIT {

  private static final String DATA = "/admin/v1/tenants/{slug}/data/{path}";

  private DataPlane plane;
  private PlinthClient operator;
  private Vertx vertx;
  private OpenApiContract contract;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    operator =
        plane.anotherControlPlaneNode(Map.of("plinth.console.data-plane-url", plane.api.baseUrl()));
    vertx = Vertx.vertx();
    contract =
        OpenApiContract.load(
            vertx, operator.get("/admin/v1/openapi.json").json()); // the control plane's own
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  @Test
  void anOperatorWorksWithATenantsRecordsAsTheDataPlaneAnswers() {
    DataPlane.Tenant tenant = plane.newTenant();
    String data = "/admin/v1/tenants/" + tenant.slug() + "/data/";

    send(
        "POST",
        data + "collections",
        DataPlane.collection("items", "title:text", "price:number"),
        201);
    Response created =
        send(
            "POST",
            data + "collections/items/records",
            new JsonObject().put("title", "a").put("price", 3),
            201);
    String id = created.json().getString("id");
    String etag = created.header("ETag").orElseThrow();
    assertThat(created.header("Location"))
        .as("the record's path through the control plane")
        .hasValue(data + "collections/items/records/" + id);
    send(
        "POST",
        data + "collections/items/records",
        new JsonObject().put("title", "b").put("price", 9),
        201);

    Response one = send("GET", data + "collections/items/records/" + id, null, 200);
    assertThat(one.header("ETag")).hasValue(etag);
    assertThat(one.json().getString("title")).isEqualTo("a");
    assertThat(one.header("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(
            check(
                    "GET",
                    operator
                        .withHeader("If-None-Match", etag)
                        .send("GET", data + "collections/items/records/" + id, null, ""),
                    304)
                .body())
        .isEmpty();

    Response queried =
        send("GET", data + "collections/items/records?price=gt.5&order=price.desc", null, 200);
    assertThat(queried.json().getJsonArray("items"))
        .extracting(r -> ((JsonObject) r).getString("title"))
        .containsExactly("b");
    Response invalid = send("GET", data + "collections/items/records?price=near.5", null, 400);
    assertThat(invalid.json().getString("code")).isEqualTo("invalid_query");

    Response stale =
        check(
            "PATCH",
            operator
                .withHeader("If-Match", "\"0\"")
                .send(
                    "PATCH",
                    data + "collections/items/records/" + id,
                    "application/json",
                    "{\"title\":\"c\"}"),
            412);
    assertThat(stale.json().getString("code")).isEqualTo("version_mismatch");
    Response patched =
        check(
            "PATCH",
            operator
                .withHeader("If-Match", etag)
                .send(
                    "PATCH",
                    data + "collections/items/records/" + id,
                    "application/json",
                    "{\"title\":\"c\"}"),
            200);
    assertThat(patched.header("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
    assertThat(
            plane
                .as(tenant.secretKey())
                .get("/v1/collections/items/records/" + id)
                .json()
                .getString("title"))
        .as("the data plane has the change")
        .isEqualTo("c");

    send("DELETE", data + "collections/items/records/" + id, null, 204);
    assertThat(
            send("GET", data + "collections/items/records/" + id, null, 404)
                .json()
                .getString("code"))
        .isEqualTo("record_not_found");
    assertThat(send("GET", data + "collections/items/changes", null, 404).json().getString("code"))
        .isEqualTo("not_forwarded");
    assertThat(send("GET", data + "collections/..%2f..%2fkeys", null, 400).json().getString("code"))
        .isEqualTo("invalid_path");

    List<JsonObject> keys = consoleKeys(tenant);
    assertThat(keys).as("one key for every request so far").hasSize(1);
    OffsetDateTime expiresAt = OffsetDateTime.parse(keys.get(0).getString("expiresAt"));
    assertThat(expiresAt)
        .isBetween(OffsetDateTime.now().plusMinutes(50), OffsetDateTime.now().plusMinutes(61));
    assertThat(keys.get(0).getString("kind")).isEqualTo("secret");

    JsonArray reads = audit(tenant, "data.read", 4);
    assertThat(reads.getJsonObject(0).getString("actor")).isEqualTo("operator:bootstrap");
    assertThat(reads.getJsonObject(0).getString("tenant")).isEqualTo(tenant.slug());
    JsonArray writes = audit(tenant, "data.write", 6);
    assertThat(writes.stream().map(e -> ((JsonObject) e).getInteger("status")))
        .contains(201, 412, 200, 204);
  }

  @Test
  void aRevokedOperatorKeyIsReplacedWithoutTheOperatorNoticing() {
    DataPlane.Tenant tenant = plane.newTenant();
    String collections = "/admin/v1/tenants/" + tenant.slug() + "/data/collections";
    send("GET", collections, null, 200);
    String first = consoleKeys(tenant).get(0).getString("id");
    assertThat(operator.delete("/admin/v1/tenants/" + tenant.slug() + "/keys/" + first).status())
        .isEqualTo(204);

    send("GET", collections, null, 200);
    assertThat(consoleKeys(tenant))
        .extracting(k -> k.getString("revokedAt") == null)
        .containsExactly(false, true);
  }

  @Test
  void theDataPlanesRateLimitComesBackWithWhenToTryAgain() {
    DataPlane.Tenant tenant = plane.newTenant("free"); // 10 requests per second per key
    String collections = "/admin/v1/tenants/" + tenant.slug() + "/data/collections";
    Response answer = null;
    for (int i = 0; i < 200; i++) {
      answer = operator.send("GET", collections, null, "");
      if (answer.status() != 200) {
        break;
      }
      assertThat(answer.header("RateLimit-Policy").orElseThrow()).contains("\"key\";q=10;w=1");
      assertThat(answer.header("RateLimit")).isPresent();
    }
    check("GET", answer, 429);
    assertThat(answer.json().getString("code")).isEqualTo("rate_limited");
    assertThat(answer.header("Retry-After")).hasValue("1");
    assertThat(answer.header("RateLimit").orElseThrow()).contains(";r=0;t=1");
  }

  private List<JsonObject> consoleKeys(DataPlane.Tenant tenant) {
    return operator
        .get("/admin/v1/tenants/" + tenant.slug() + "/keys")
        .json()
        .getJsonArray("items")
        .stream()
        .map(JsonObject.class::cast)
        .filter(k -> k.getString("name").equals("console (operator access)"))
        .toList();
  }

  private JsonArray audit(DataPlane.Tenant tenant, String action, int atLeast) {
    return Eventually.poll(
            Duration.ofSeconds(10),
            () ->
                operator
                    .get("/admin/v1/audit?tenant=" + tenant.slug() + "&action=" + action)
                    .json(),
            page -> page.getJsonArray("items").size() >= atLeast)
        .getJsonArray("items");
  }

  private Response send(String method, String path, JsonObject body, int status) {
    return check(
        method,
        body == null
            ? operator.send(method, path, null, "")
            : operator.send(method, path, "application/json", body.encode()),
        status);
  }

  /** The status expected, and an answer the admin API's document describes. */
  private Response check(String method, Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    contract.checkOperation(method + " " + DATA, response);
    return response;
  }
}
