package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plinth.testing.OpenApiContract;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every request the SDK makes goes to an operation of the data plane's OpenAPI document, with query
 * parameters it documents: an SDK call of an undocumented path or parameter fails here.
 */
class OpenApiCoverageTest {

  /** A query parameter that is not a named one must be a documented filter, {@code op.value}. */
  private static final Pattern FILTER =
      Pattern.compile("^(eq|neq|gt|gte|lt|lte|like|ilike|in|is)\\..*");

  @Test
  void everySdkCallIsDocumented() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getRawPath()
                  + (exchange.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + exchange.getRequestURI().getRawQuery()));
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"items\":[],\"next\":null}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    Subscription subscription;
    try {
      subscription =
          callEverything(
              PlinthClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                  .apiKey("plinth_sk_test")
                  .retryPolicy(RetryPolicy.NONE)
                  .build());
      // The change stream is read on a thread of its own: wait for its request.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (requests.stream().noneMatch(r -> r.endsWith("/changes"))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      subscription.close();
    } finally {
      server.stop(0);
    }

    Vertx vertx = Vertx.vertx();
    try {
      OpenApiContract contract = OpenApiContract.load(vertx, tenantApiDocument());
      for (String request : requests) {
        String[] methodAndTarget = request.split(" ", 2);
        var operation = contract.operation(methodAndTarget[0], methodAndTarget[1]);
        assertThat(operation).as("documented: %s", request).isPresent();
        Set<String> named = queryParameterNames(operation.get().model());
        for (Map.Entry<String, String> param : query(methodAndTarget[1])) {
          assertThat(
                  named.contains(param.getKey())
                      || (named.contains("filters") && FILTER.matcher(param.getValue()).matches()))
              .as("documented parameter %s of %s", param.getKey(), request)
              .isTrue();
        }
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Calls every method of the SDK that sends a request; answers the subscription it opened. */
  private static Subscription callEverything(PlinthClient client) {
    client.listCollections();
    client.getCollection("items");
    client.createCollection(CollectionDefinition.named("items").field("n", "integer"));
    client.patchCollection("items", Map.of("rules", Map.of("read", "public")));
    client.dropCollection("items");
    Records items = client.records("items");
    items.insert(Map.of("n", 1));
    items.insertAll(List.of(Map.of("n", 1)));
    items.get("0193");
    items.getIfChanged("0193", "\"1\"");
    items.update("0193", Map.of("n", 2), "\"1\"");
    items.delete("0193");
    items
        .query()
        .eq("n", 1)
        .in("n", 1, 2)
        .is("n", null)
        .orderDesc("n")
        .select("n")
        .limit(5)
        .countExact()
        .after("cursor")
        .page();
    client.auth().signInConfig();
    return items.subscribe(change -> {}, SubscribeOptions.defaults().lastEventId("1-1"));
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

  private static JsonObject tenantApiDocument() throws IOException {
    try (InputStream in =
        OpenApiCoverageTest.class.getResourceAsStream("/openapi/tenant-api.json")) {
      assertThat(in).as("the data plane's OpenAPI document on the test classpath").isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
