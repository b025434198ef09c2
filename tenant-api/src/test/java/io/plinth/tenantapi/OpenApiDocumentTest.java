package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.testing.OpenApiContract;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The OpenAPI document on its own, and the checks {@link OpenApiContractIT} relies on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

  private Vertx vertx;
  private JsonObject document;
  private OpenApiContract contract;

  @BeforeAll
  void load() {
    vertx = Vertx.vertx();
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(TenantApiService.OPENAPI_RESOURCE)) {
      document = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    contract = OpenApiContract.load(vertx, document); // fails unless valid OpenAPI 3.1
  }

  @AfterAll
  void close() {
    vertx.close().await();
  }

  @Test
  void isOpenApi31AndVertxOpenApiReadsEveryOperation() {
    assertThat(document.getString("openapi")).isEqualTo("3.1.0");
    // vertx-openapi's model also checks path parameters, parameter styles and responses; it
    // refuses media types it cannot validate, which says nothing about the document, so they
    // are renamed to ones it accepts for this check.
    String readable =
        document
            .encode()
            .replace("\"application/problem+json\"", "\"application/vnd.plinth.problem+json\"")
            .replace("\"text/event-stream\"", "\"text/plain\"");
    OpenAPIContract model = OpenAPIContract.from(vertx, new JsonObject(readable)).await();
    assertThat(model.operations()).hasSize(contract.operations().size());
  }

  @Test
  void aDocumentThatBreaksOpenApi31IsRefused() {
    JsonObject broken = document.copy();
    broken
        .getJsonObject("paths")
        .getJsonObject("/v1/collections")
        .getJsonObject("get")
        .getJsonObject("responses")
        .getJsonObject("200")
        .remove("description"); // required in a Response Object
    assertThatThrownBy(() -> OpenApiContract.load(vertx, broken))
        .hasMessageContaining("not a valid OpenAPI 3.1 document");
  }

  @Test
  void everyOperationHasAnIdAndEveryKeyedOneDocumentsTheAuthenticationFailures() {
    for (OpenApiContract.Operation op : contract.documented()) {
      assertThat(op.model().getString("operationId")).as(op.key()).isNotBlank();
      JsonArray security = op.model().getJsonArray("security");
      if (security == null || !security.isEmpty()) {
        assertThat(op.model().getJsonObject("responses").fieldNames())
            .as(op.key())
            .contains("401", "403", "500");
      }
    }
  }

  @Test
  void aResponseIsCheckedForStatusContentTypeBodyAndHeaders() {
    String path = "/v1/collections/items";
    Response fine =
        response(
            200,
            "application/json",
            "{\"name\":\"items\",\"fields\":[],\"rules\":{\"read\":\"public\",\"write\":\"secret\"}}");
    assertThat(contract.check("GET", path, fine).key())
        .isEqualTo("GET /v1/collections/{collection}");

    assertThatThrownBy(() -> contract.check("GET", path, response(418, "application/json", "{}")))
        .hasMessageContaining("status not documented");
    assertThatThrownBy(() -> contract.check("GET", path, response(200, "text/html", "<p>")))
        .hasMessageContaining("content type text/html");
    assertThatThrownBy(
            () -> contract.check("GET", path, response(200, "application/json", "{\"name\":1}")))
        .hasMessageContaining("body does not fit its schema");
    assertThatThrownBy(
            () -> contract.check("GET", path, response(404, "application/problem+json", "{}")))
        .hasMessageContaining("body does not fit its schema");
    assertThatThrownBy(() -> contract.check("PUT", path, fine))
        .hasMessageContaining("undocumented");

    String record =
        "{\"id\":\"01a22365-69c7-7599-9f89-182dd9e9cac4\",\"owner\":null,"
            + "\"createdAt\":\"2026-11-28T18:22:58.507028Z\","
            + "\"updatedAt\":\"2026-11-28T18:22:58Z\",\"version\":1}";
    String recordPath = path + "/records/01a22365-69c7-7599-9f89-182dd9e9cac4";
    assertThatThrownBy(
            () -> contract.check("GET", recordPath, response(200, "application/json", record)))
        .hasMessageContaining("missing header ETag");
  }

  @Test
  void aChangeEventIsCheckedAgainstItsSchema() {
    String record =
        "{\"id\":\"01a22365-69c7-7599-9f89-182dd9e9cac4\",\"owner\":\"alice\","
            + "\"createdAt\":\"2026-11-28T18:22:58.507028Z\","
            + "\"updatedAt\":\"2026-11-28T18:22:58Z\",\"version\":2,\"title\":\"x\"}";
    JsonObject update =
        new JsonObject()
            .put("op", "update")
            .put("collection", "items")
            .put("id", "01a22365-69c7-7599-9f89-182dd9e9cac4")
            .put("version", 2)
            .put("record", new JsonObject(record));
    contract.checkSchema("ChangeEvent", update);
    JsonObject delete = update.copy().put("op", "delete").putNull("version").putNull("record");
    contract.checkSchema("ChangeEvent", delete);

    assertThatThrownBy(() -> contract.checkSchema("ChangeEvent", update.copy().putNull("version")))
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> contract.checkSchema("ChangeEvent", delete.copy().put("version", 2)))
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> contract.checkSchema("ChangeEvent", update.copy().put("seq", 1)))
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> contract.checkSchema("Nope", update))
        .hasMessageContaining("no schema Nope");

    // The stream itself: its media type has parameters, and its headers are required.
    String changes = "/v1/collections/items/changes";
    Response stream =
        new Response(
            200,
            HttpHeaders.of(
                Map.of(
                    "Content-Type", List.of("text/event-stream; charset=utf-8"),
                    "X-Request-Id", List.of("r1"),
                    "Cache-Control", List.of("no-cache"),
                    "X-Accel-Buffering", List.of("no")),
                (name, value) -> true),
            "");
    assertThat(contract.check("GET", changes, stream).key())
        .isEqualTo("GET /v1/collections/{collection}/changes");
    Response cached =
        new Response(
            200,
            HttpHeaders.of(
                Map.of(
                    "Content-Type", List.of("text/event-stream"),
                    "X-Request-Id", List.of("r1"),
                    "Cache-Control", List.of("max-age=60"),
                    "X-Accel-Buffering", List.of("no")),
                (name, value) -> true),
            "");
    assertThatThrownBy(() -> contract.check("GET", changes, cached))
        .hasMessageContaining("header Cache-Control does not fit");
  }

  @Test
  void rateLimitHeadersAreCheckedWhereSentAndRequiredOn429() {
    String path = "/v1/collections";
    String list = "{\"items\":[]}";
    assertThatThrownBy(
            () ->
                contract.check(
                    "GET",
                    path,
                    withHeader(response(200, "application/json", list), "RateLimit", "r=3")))
        .hasMessageContaining("header RateLimit does not fit");
    contract.check(
        "GET",
        path,
        withHeader(response(200, "application/json", list), "RateLimit", "\"key\";r=3;t=1"));
    String problem =
        "{\"type\":\"/problems/rate-limited\",\"title\":\"Too Many Requests\",\"status\":429,"
            + "\"detail\":\"d\",\"code\":\"rate_limited\",\"requestId\":\"r1\"}";
    assertThatThrownBy(
            () -> contract.check("GET", path, response(429, "application/problem+json", problem)))
        .hasMessageContaining("missing header Retry-After")
        .hasMessageContaining("missing header RateLimit-Policy");
  }

  @Test
  void anUndocumentedRouteIsFound() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> ctx.next());
    router.get("/health/live").handler(ctx -> ctx.end());
    router.route("/v1/*").handler(ctx -> ctx.next());
    router.get("/v1/collections/:collection").handler(ctx -> ctx.end());
    router.post("/v1/collections/:collection/export").handler(ctx -> ctx.end());

    assertThat(OpenApiContract.routedOperations(router.getRoutes(), "/v1/"))
        .containsExactly(
            "GET /v1/collections/{collection}", "POST /v1/collections/{collection}/export");
    assertThat(contract.operations())
        .contains("GET /v1/collections/{collection}")
        .doesNotContain("POST /v1/collections/{collection}/export");
  }

  private static Response withHeader(Response response, String name, String value) {
    Map<String, List<String>> headers = new java.util.HashMap<>(response.headers().map());
    headers.put(name, List.of(value));
    return new Response(
        response.status(), HttpHeaders.of(headers, (n, v) -> true), response.body());
  }

  private static Response response(int status, String contentType, String body) {
    return new Response(
        status,
        HttpHeaders.of(
            Map.of("Content-Type", List.of(contentType), "X-Request-Id", List.of("r1")),
            (name, value) -> true),
        body);
  }
}
