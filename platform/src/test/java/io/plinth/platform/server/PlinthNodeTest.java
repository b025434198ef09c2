package io.plinth.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's HTTP behaviour shared by every service: request ids, problem+json errors, body limit,
 * liveness, metrics and graceful shutdown. PostgreSQL is deliberately unreachable here (readiness
 * against a real database is tested by the services).
 */
class PlinthNodeTest {

  // HTTP/1.1, as load balancers speak to nodes.
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private PlinthNode node;
  private String base;

  /** Released by each request to {@code /test/slow} as it arrives, before it is answered. */
  private static final Semaphore SLOW_ARRIVED = new Semaphore(0);

  /** A service with routes that exercise the node's cross-cutting behaviour. */
  private static final PlinthService TEST_SERVICE =
      new PlinthService() {
        @Override
        public String name() {
          return "test";
        }

        @Override
        public Map<String, String> defaults() {
          return Map.of();
        }

        @Override
        public Future<Routes> start(Infrastructure infra) {
          return Future.succeededFuture(
              router -> {
                router
                    .get("/test/slow")
                    .handler(
                        ctx -> {
                          SLOW_ARRIVED.release();
                          ctx.vertx().setTimer(800, t -> ctx.response().end("finished"));
                        });
                router
                    .get("/test/boom")
                    .handler(
                        ctx -> {
                          throw new IllegalStateException("SELECT secret FROM internals");
                        });
                router
                    .get("/test/problem")
                    .handler(
                        ctx ->
                            ctx.fail(new ProblemException(409, "slug_taken", "slug 'x' is taken")));
                router
                    .get("/test/items/:id")
                    .handler(ctx -> ctx.response().end(ctx.pathParam("id")));
                router
                    .post("/test/echo")
                    .handler(ctx -> ctx.response().end(String.valueOf(ctx.body().length())));
              });
        }
      };

  @BeforeEach
  void startNode() {
    int clusterPort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    Map<String, String> settings =
        Map.of(
            "plinth.http.port", "0",
            "plinth.http.host", "127.0.0.1",
            "plinth.http.instances", "2",
            "plinth.http.max-body-bytes", "2048",
            "plinth.db.url", "postgresql://127.0.0.1:1/nothing-listens-here",
            "plinth.db.connect-timeout", "500ms",
            "plinth.cluster.name", "test-" + UUID.randomUUID(),
            "plinth.cluster.port", String.valueOf(clusterPort),
            "plinth.cluster.members", "127.0.0.1:" + clusterPort,
            "plinth.shutdown.timeout", "5s");
    PlinthConfig config =
        PlinthConfig.load(new ConfigSource(settings, new Properties(), Map.of(), Map.of()));
    node = PlinthNode.start(TEST_SERVICE, config).await();
    base = "http://127.0.0.1:" + node.port();
  }

  @AfterEach
  void stopNode() {
    node.stop().await();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unknownPathIsAProblemWithTheRequestId() throws Exception {
    HttpResponse<String> response = get("/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("code")).isEqualTo("not_found");
    assertThat(body.getString("type")).isEqualTo("/problems/not-found");
    assertThat(body.getString("title")).isEqualTo("Not Found");
    assertThat(body.getInteger("status")).isEqualTo(404);
    assertThat(body.getString("requestId"))
        .isNotBlank()
        .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void aSafeRequestIdIsEchoedAndAnUnsafeOneReplaced() throws Exception {
    assertThat(
            get("/health/live", "X-Request-Id", "abc-123.x:y").headers().firstValue("X-Request-Id"))
        .hasValue("abc-123.x:y");
    String replaced =
        get("/health/live", "X-Request-Id", "evil\"id with spaces")
            .headers()
            .firstValue("X-Request-Id")
            .orElseThrow();
    assertThat(replaced).matches("[0-9a-f]{32}");
  }

  @Test
  void anUnexpectedErrorIsA500WithoutInternals() throws Exception {
    HttpResponse<String> response = get("/test/boom");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).doesNotContain("SELECT").doesNotContain("Exception");
    assertThat(new JsonObject(response.body()).getString("code")).isEqualTo("internal_error");
  }

  @Test
  void aProblemExceptionKeepsItsStatusAndCode() throws Exception {
    HttpResponse<String> response = get("/test/problem");

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(response.body()).getString("code")).isEqualTo("slug_taken");
  }

  /** A request written byte for byte: java.net.URI refuses what a hostile client may send. */
  private String raw(String requestLine) throws IOException {
    URI uri = URI.create(base);
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              (requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aMalformedPercentEscapeIsA400ProblemNotA500() throws Exception {
    for (String target :
        new String[] {
          "/test/items/%zz", "/test/items/%", "/test/items/x?q=%zz", "/test/items/x?%"
        }) {
      String response = raw("GET " + target + " HTTP/1.1");

      assertThat(response).as(target).startsWith("HTTP/1.1 400 ");
      assertThat(response).as(target).contains("application/problem+json");
      assertThat(response).as(target).contains("\"code\":\"bad_request\"");
    }
  }

  @Test
  void requestLinesUpTo32KiBAreReadAndLongerOnesAreA414Problem() throws Exception {
    String id = "a".repeat(30_000); // a 16 KiB data-plane cursor and more fit
    HttpResponse<String> fits = get("/test/items/" + id);
    assertThat(fits.statusCode()).isEqualTo(200);
    assertThat(fits.body()).isEqualTo(id);

    String tooLong = raw("GET /test/items/" + "a".repeat(40_000) + " HTTP/1.1");
    // HTTP/1.0 in the answer: the codec never got as far as the request's version.
    assertThat(tooLong).matches("(?s)HTTP/1\\.[01] 414 .*").contains("application/problem+json");
    assertThat(tooLong).contains("\"code\":\"uri_too_long\"");

    HttpResponse<String> headers = get("/health/live", "X-Big", "b".repeat(20_000));
    assertThat(headers.statusCode()).isEqualTo(431);
    assertThat(headers.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(new JsonObject(headers.body()).getString("code")).isEqualTo("headers_too_large");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    HttpResponse<String> small = post("/test/echo", "x".repeat(100));
    HttpResponse<String> large = post("/test/echo", "x".repeat(5000));

    assertThat(small.body()).isEqualTo("100");
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(large.body()).getString("code")).isEqualTo("body_too_large");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void livenessIsUpAndMetricsArePrometheusText() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("jvm_memory_used_bytes")
        .contains("vertx_http_server_")
        .contains("service=\"test\"");
  }

  @Test
  void readinessIsAProblemWhenPostgresIsUnreachable() throws Exception {
    HttpResponse<String> response = get("/health/ready");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("code")).isEqualTo("not_ready");
    assertThat(body.getJsonObject("checks").getJsonObject("postgresql").getString("status"))
        .isEqualTo("DOWN");
    assertThat(body.getJsonObject("checks").getJsonObject("hazelcast").getString("status"))
        .isEqualTo("UP");
  }

  @Test
  void stoppingLetsInFlightRequestsFinishThenRefusesConnections() throws Exception {
    CompletableFuture<HttpResponse<String>> slow =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/test/slow")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(SLOW_ARRIVED.tryAcquire(5, TimeUnit.SECONDS))
        .as("the request is in flight")
        .isTrue();

    Future<Void> stopped = node.stop();
    HttpResponse<String> response = slow.get(5, TimeUnit.SECONDS);
    stopped.await(20, TimeUnit.SECONDS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("finished");
    assertThatThrownBy(
            () ->
                HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()
                    .send(
                        HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOfAny(ConnectException.class, IOException.class);
  }
}
