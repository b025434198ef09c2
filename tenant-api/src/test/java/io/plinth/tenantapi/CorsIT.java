package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A browser app on another origin calls the data plane as a browser would: a preflight first (no
 * key, answered before authentication), then the request, whose answer lets the script read the
 * headers an SDK needs. A node configured with a list of origins answers only those.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsIT {

  private static final String APP = "http://app.example.test:5173";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private DataPlane plane;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
  }

  private static HttpResponse<String> preflight(
      String baseUrl, String path, String origin, String method, String headers) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", headers)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Set<String> listed(HttpResponse<?> response, String header) {
    return Arrays.stream(response.headers().firstValue(header).orElse("").split(","))
        .map(s -> s.trim().toLowerCase(java.util.Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  @Test
  void aPreflightIsAnsweredWithoutAKey() throws Exception {
    HttpResponse<String> answer =
        preflight(
            plane.api.baseUrl(),
            "/v1/collections/notes/records",
            APP,
            "POST",
            "apikey, authorization, content-type, idempotency-key");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(listed(answer, "Access-Control-Allow-Methods")).contains("post", "patch", "delete");
    assertThat(listed(answer, "Access-Control-Allow-Headers"))
        .contains(
            "apikey",
            "authorization",
            "content-type",
            "if-match",
            "if-none-match",
            "idempotency-key",
            "last-event-id",
            "plinth-consistency-token",
            "x-request-id");
    assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
  }

  @Test
  void aCrossOriginGetLetsTheScriptReadTheHeadersItNeeds() throws Exception {
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient secret = plane.as(tenant.secretKey());
    assertThat(
            secret
                .postJson(
                    "/v1/collections",
                    DataPlane.collection("notes", "text:text")
                        .put(
                            "rules", new JsonObject().put("read", "public").put("write", "secret")))
                .status())
        .isEqualTo(201);
    Response note =
        secret.postJson("/v1/collections/notes/records", new JsonObject().put("text", "hi"));
    String path = "/v1/collections/notes/records/" + note.json().getString("id");

    Response read = plane.as(tenant.publishableKey()).withHeader("Origin", APP).get(path);

    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.header("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(read.header("ETag")).isPresent();
    assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElse("").toLowerCase())
        .contains("etag", "location", "retry-after", "x-request-id")
        .contains("plinth-consistency-token", "idempotent-replayed");
    // Health too, for a status page in the browser.
    Response live = plane.api.withHeader("Origin", APP).get("/health/live");
    assertThat(live.header("Access-Control-Allow-Origin")).hasValue("*");
  }

  @Test
  void aNodeWithAListOfOriginsAnswersThoseOnly() throws Exception {
    String url =
        plane
            .anotherDataPlaneNode(
                Map.of("plinth.http.cors-allowed-origins", APP + ", https://other.example.test"))
            .client()
            .baseUrl();

    HttpResponse<String> allowed = preflight(url, "/v1/collections", APP, "GET", "apikey");
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);

    HttpResponse<String> foreign =
        preflight(url, "/v1/collections", "https://evil.example.test", "GET", "apikey");
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(new JsonObject(foreign.body()).getString("code")).isEqualTo("origin_not_allowed");
  }
}
