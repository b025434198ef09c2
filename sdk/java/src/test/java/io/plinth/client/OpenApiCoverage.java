package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.client.internal.HttpTransport;
import io.plinth.testing.OpenApiContract;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Checks that an SDK client only calls documented operations with documented query parameters: the
 * client's calls go to a local server that records them and answers each with the same body, then
 * every recorded request is looked up in an OpenAPI document. Serves the data-plane client's and
 * the admin client's coverage tests.
 */
public final class OpenApiCoverage {

  private OpenApiCoverage() {}

  /** The requests ({@code METHOD /path?query}) that {@code calls} sends to the base URL it gets. */
  public static List<String> requestsOf(String answer, Consumer<URI> calls) {
    return requestsOf(answer, calls, request -> true);
  }

  /**
   * As {@link #requestsOf(String, Consumer)}, waiting up to 10 s after the calls for a request that
   * {@code awaited} matches: one sent from a thread of its own, as the change stream's.
   */
  public static List<String> requestsOf(
      String answer, Consumer<URI> calls, Predicate<String> awaited) {
    try (ScriptedServer server = new ScriptedServer(answer)) {
      calls.accept(server.url());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (recorded(server).stream().noneMatch(awaited) && System.nanoTime() < deadline) {
        HttpTransport.sleep(Duration.ofMillis(20));
      }
      return recorded(server);
    }
  }

  private static List<String> recorded(ScriptedServer server) {
    return server.requests().stream().map(r -> r.method() + " " + r.target()).toList();
  }

  /**
   * Every request goes to an operation of the document (a classpath resource), and each of its
   * query parameters is one the operation names, or one {@code otherwise} accepts given the names.
   */
  public static void assertDocumented(
      List<String> requests,
      String documentResource,
      BiPredicate<Set<String>, Map.Entry<String, String>> otherwise)
      throws IOException {
    assertThat(requests).as("requests recorded").isNotEmpty();
    Vertx vertx = Vertx.vertx();
    try {
      OpenApiContract contract = OpenApiContract.load(vertx, document(documentResource));
      for (String request : requests) {
        String[] methodAndTarget = request.split(" ", 2);
        var operation = contract.operation(methodAndTarget[0], methodAndTarget[1]);
        assertThat(operation).as("documented: %s", request).isPresent();
        Set<String> named = queryParameterNames(operation.get().model());
        for (Map.Entry<String, String> param : query(methodAndTarget[1])) {
          assertThat(named.contains(param.getKey()) || otherwise.test(named, param))
              .as("documented parameter %s of %s", param.getKey(), request)
              .isTrue();
        }
      }
    } finally {
      vertx.close().await();
    }
  }

  private static Set<String> queryParameterNames(JsonObject operation) {
    JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
    return parameters.stream()
        .map(JsonObject.class::cast)
        .filter(p -> "query".equals(p.getString("in")))
        .map(p -> p.getString("name"))
        .collect(Collectors.toSet());
  }

  /** Every parameter of the query in order; a field may have several conditions. */
  private static List<Map.Entry<String, String>> query(String target) {
    String[] parts = target.split("\\?", 2);
    if (parts.length == 1) {
      return List.of();
    }
    return java.util.Arrays.stream(parts[1].split("&"))
        .map(pair -> pair.split("=", 2))
        .map(
            kv ->
                Map.entry(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : ""))
        .toList();
  }

  private static JsonObject document(String resource) throws IOException {
    try (InputStream in = OpenApiCoverage.class.getResourceAsStream(resource)) {
      assertThat(in).as("the OpenAPI document %s on the test classpath", resource).isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
