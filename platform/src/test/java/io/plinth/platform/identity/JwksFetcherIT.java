package io.plinth.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.cluster.ClusterFutures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the fetcher accepts from an issuer, against a local server that misbehaves in one way per
 * issuer path: only a discovery document of the same issuer pointing at a key set, each answered
 * 200 within the deadline and the size limit, without redirects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksFetcherIT {

  private static final int LIMIT = 64 * 1024;
  private Vertx vertx;
  private JwksFetcher fetcher;
  private String base;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    int port =
        vertx
            .createHttpServer()
            .requestHandler(this::answer)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    base = "http://127.0.0.1:" + port;
    fetcher = new JwksFetcher(vertx, Duration.ofMillis(500), LIMIT);
    // The JVM's first HTTP exchange loads and compiles the client's classes, which took more than
    // the 500 ms deadline on a slow machine: done once here, with a patient fetcher.
    JwksFetcher patient = new JwksFetcher(vertx, Duration.ofSeconds(30), LIMIT);
    patient.fetch(base + "/good").await(30, TimeUnit.SECONDS);
    patient.close().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void answer(HttpServerRequest request) {
    String path = request.path();
    String issuer = base + path.substring(0, path.indexOf('/', 1));
    String kind = path.substring(1, path.indexOf('/', 1));
    boolean discovery = path.endsWith("/.well-known/openid-configuration");
    JsonObject document = new JsonObject().put("issuer", issuer).put("jwks_uri", issuer + "/certs");
    JsonObject keys = new JsonObject().put("keys", new JsonArray());
    switch (kind) {
      case "good" -> json(request, discovery ? document : keys);
      case "other-issuer" -> json(request, document.put("issuer", base + "/good"));
      case "no-jwks-uri" -> json(request, document.put("jwks_uri", "file:///etc/passwd"));
      case "huge" ->
          json(request, discovery ? document : keys.put("padding", "x".repeat(LIMIT + 1)));
      case "huge-chunked" -> {
        if (discovery) {
          json(request, document);
        } else {
          request.response().setChunked(true);
          for (int i = 0; i < 20; i++) {
            request.response().write("x".repeat(LIMIT / 10));
          }
          request.response().end();
        }
      }
      case "slow" -> {} // never answers
      case "redirect" ->
          request.response().setStatusCode(302).putHeader("Location", base + "/good").end();
      case "not-json" -> request.response().end("<html>hello</html>");
      case "no-keys" -> json(request, discovery ? document : new JsonObject());
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  private String failure(String kind) {
    Future<JsonObject> result = fetcher.fetch(base + "/" + kind);
    try {
      result.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the future says why
    }
    assertThat(result.failed()).as(kind).isTrue();
    return result.cause().getMessage();
  }

  @Test
  void readsTheKeySetTheDiscoveryDocumentPointsTo() throws Exception {
    assertThat(fetcher.fetch(base + "/good").await(5, TimeUnit.SECONDS).getJsonArray("keys"))
        .isEmpty();
  }

  /**
   * Fetches started as {@link IssuerKeys} starts them: in a callback that a Hazelcast thread hands
   * to a Vert.x context. Each answer must be read whole. Reading the response from a callback
   * further down the request's chain lost the body now and then (the callback ran as a task of its
   * own, after the response had ended): 2 fetches of 2,000 here with two busy loops beside, and one
   * {@code IssuerKeysIT} run of the whole suite.
   */
  @Test
  void readsEveryAnswerOfFetchesStartedFromCallbacks() throws Exception {
    ExecutorService otherThread = Executors.newSingleThreadExecutor();
    try {
      List<String> lost = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        Future<JsonObject> fetched =
            ClusterFutures.onContext(
                    CompletableFuture.supplyAsync(() -> "handed over", otherThread),
                    vertx.getOrCreateContext())
                .compose(ignored -> fetcher.fetch(base + "/good"));
        try {
          fetched.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          lost.add(i + ": " + e.getMessage());
        }
      }
      assertThat(lost).isEmpty();
    } finally {
      otherThread.shutdown();
    }
  }

  @Test
  void refusesWhatIsNotTheIssuersOwnKeySet() {
    assertThat(failure("other-issuer")).contains("another issuer");
    assertThat(failure("no-jwks-uri")).contains("no usable jwks_uri");
    assertThat(failure("redirect")).contains("302");
    assertThat(failure("not-json")).contains("did not answer a JSON object");
    assertThat(failure("no-keys")).contains("no keys array");
    assertThat(failure("missing")).contains("404");
  }

  @Test
  void boundsTheTimeAndTheSize() {
    long started = System.nanoTime();
    assertThat(failure("slow")).contains("no answer within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(failure("huge")).contains("more than " + LIMIT + " bytes");
    assertThat(failure("huge-chunked")).contains("more than " + LIMIT + " bytes");
  }
}
