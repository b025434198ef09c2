package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lazy refresh under concurrent calls, against a real HTTP server that is the data plane and
 * the token endpoint at once and counts the grants it answers: calls that find the access token
 * about to expire share one refresh, and all go with the new token. (Sign-in against a real
 * Keycloak is {@code AuthIT}'s.)
 */
class AuthRefreshTest {

  private final AtomicInteger passwordGrants = new AtomicInteger();
  private final AtomicInteger refreshGrants = new AtomicInteger();
  private final List<String> dataAuthorizations = new CopyOnWriteArrayList<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final HttpServer server = start();
  private final String base = "http://127.0.0.1:" + server.getAddress().getPort();
  private final PlinthClient client =
      PlinthClient.builder(URI.create(base)).apiKey("plinth_pk_test").build();

  private HttpServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.setExecutor(handlers);
      http.createContext("/v1/identity", this::identity);
      http.createContext("/token", this::token);
      http.createContext(
          "/v1/collections",
          exchange -> {
            dataAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            answer(exchange, 200, "{\"id\":\"r1\",\"version\":1}");
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
    handlers.shutdownNow();
  }

  private void identity(HttpExchange exchange) throws IOException {
    answer(
        exchange,
        200,
        "{\"mode\":\"realm\",\"issuer\":\""
            + base
            + "\",\"clientId\":\"app\",\"tokenEndpoint\":\""
            + base
            + "/token\",\"endSessionEndpoint\":\""
            + base
            + "/logout\",\"authorizationEndpoint\":\""
            + base
            + "/auth\"}");
  }

  /** The password grant's token expires in 10 s (inside the 30 s margin); refreshed ones later. */
  private void token(HttpExchange exchange) throws IOException {
    String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String grant =
        URLDecoder.decode(form.replaceAll(".*grant_type=([^&]*).*", "$1"), StandardCharsets.UTF_8);
    int number;
    long expiresIn;
    if (grant.equals("password")) {
      number = passwordGrants.incrementAndGet();
      expiresIn = 10;
    } else {
      number = 100 + refreshGrants.incrementAndGet();
      expiresIn = 3600;
      sleep(200); // a slow identity provider: the other calls wait for this refresh
    }
    String claims =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("{\"sub\":\"u1\",\"preferred_username\":\"alice\"}")
                    .getBytes(StandardCharsets.UTF_8));
    answer(
        exchange,
        200,
        "{\"access_token\":\"h."
            + claims
            + ".s"
            + number
            + "\",\"refresh_token\":\"rt"
            + number
            + "\",\"expires_in\":"
            + expiresIn
            + "}");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void concurrentCallsWithAnExpiringTokenShareOneRefresh() throws Exception {
    Session signedIn = client.auth().signInWithPassword("alice", "a-password");
    assertThat(signedIn.user().username()).isEqualTo("alice");

    int calls = 8;
    ExecutorService callers = Executors.newFixedThreadPool(calls);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Record>> results = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      results.add(
          callers.submit(
              () -> {
                go.await();
                return client.records("notes").get("r1");
              }));
    }
    go.countDown();
    for (Future<Record> result : results) {
      assertThat(result.get().id()).isEqualTo("r1");
    }
    callers.shutdown();

    assertThat(refreshGrants).hasValue(1);
    Session refreshed = client.auth().session().orElseThrow();
    assertThat(refreshed.refreshToken()).isEqualTo("rt101");
    assertThat(dataAuthorizations).hasSize(calls).containsOnly("Bearer " + refreshed.accessToken());
  }
}
