package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client sends back the latest {@code Plinth-Consistency-Token} it was given, on every later
 * request, against a real HTTP server that hands out tokens from a script.
 */
class ConsistencyTokenTest {

  private final Deque<String> tokensToGive = new ArrayDeque<>();
  private final List<String> tokensReceived = new CopyOnWriteArrayList<>();
  private final HttpServer server = start();
  private final PlinthClient client =
      PlinthClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
          .apiKey("plinth_sk_test")
          .build();

  private HttpServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext(
          "/",
          exchange -> {
            tokensReceived.add(
                String.valueOf(exchange.getRequestHeaders().getFirst("Plinth-Consistency-Token")));
            exchange.getRequestBody().readAllBytes();
            String give = tokensToGive.poll();
            if (give != null && !give.isEmpty()) {
              exchange.getResponseHeaders().add("Plinth-Consistency-Token", give);
            }
            byte[] body = "{\"id\":\"r1\",\"version\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      http.start();
      return http;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void theLatestTokenGoesWithEveryLaterRequest() {
    Records notes = client.records("notes");
    tokensToGive.add("0/16B3748");
    notes.insert(Map.of("title", "a")); // gives the first token
    tokensToGive.add(""); // none
    notes.get("r1"); // sends it; gives none, so it stays
    tokensToGive.add("0/16B37A0");
    notes.update("r1", Map.of("title", "b")); // sends it, gives a newer one
    notes.get("r1");
    client.withUserToken(null).records("notes").get("r1"); // a derived client reads its writes too

    assertThat(tokensReceived)
        .containsExactly("null", "0/16B3748", "0/16B3748", "0/16B37A0", "0/16B37A0");
  }
}
