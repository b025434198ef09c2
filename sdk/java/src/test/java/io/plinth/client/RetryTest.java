package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry policy against a real HTTP server that answers from a script. */
class RetryTest {

  /** A scripted answer: status, Retry-After (or null) and body. */
  private record Answer(int status, String retryAfter, String body) {}

  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  private final HttpServer server = start();

  private HttpServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", this::answer);
      http.start();
      return http;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    arrivals.add(System.nanoTime());
    requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
    exchange.getRequestBody().readAllBytes();
    Answer answer = script.isEmpty() ? new Answer(200, null, "{}") : script.poll();
    if (answer.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PlinthClient client(RetryPolicy policy) {
    return PlinthClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .apiKey("plinth_pk_test")
        .userToken("user.jwt")
        .timeout(Duration.ofSeconds(5))
        .retryPolicy(policy)
        .build();
  }

  private static final String RATE_LIMITED =
      "{\"status\":429,\"code\":\"rate_limited\",\"detail\":\"slow down\"}";

  @Test
  void aGetWaitsForRetryAfterAndSucceeds() {
    script.add(new Answer(429, "1", RATE_LIMITED));
    script.add(new Answer(200, null, "{\"id\":\"r1\",\"version\":1}"));

    Record record = client(RetryPolicy.DEFAULT).records("items").get("r1");

    assertThat(record.id()).isEqualTo("r1");
    assertThat(arrivals).hasSize(2);
    assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void theContractsHeadersGoWithEveryCall() {
    client(RetryPolicy.NONE).records("items").get("r1");

    Map<String, List<String>> headers = requestHeaders.get(0);
    assertThat(headers.get("Apikey")).containsExactly("plinth_pk_test");
    assertThat(headers.get("Authorization")).containsExactly("Bearer user.jwt");
  }

  @Test
  void a503WithoutRetryAfterIsRetriedWithBackoffUntilTheAttemptsRunOut() {
    for (int i = 0; i < 3; i++) {
      script.add(new Answer(503, null, "{\"status\":503,\"code\":\"unavailable\"}"));
    }
    RetryPolicy threeAttempts = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50));

    assertThatThrownBy(() -> client(threeAttempts).records("items").get("r1"))
        .isInstanceOfSatisfying(
            PlinthException.class, e -> assertThat(e.code()).isEqualTo("unavailable"));
    assertThat(arrivals).hasSize(3);
  }

  @Test
  void anInsertWithoutIdempotencyKeyIsNotRetried() {
    script.add(new Answer(429, "0", RATE_LIMITED));

    assertThatThrownBy(() -> client(RetryPolicy.DEFAULT).records("items").insert(Map.of("a", 1)))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(429));
    assertThat(arrivals).hasSize(1);
  }

  @Test
  void anInsertWithIdempotencyKeyIsRetriedWithTheSameKey() {
    script.add(new Answer(429, "0", RATE_LIMITED));
    script.add(new Answer(201, null, "{\"id\":\"r1\",\"version\":1}"));

    Record inserted = client(RetryPolicy.DEFAULT).records("items").insert(Map.of("a", 1), "k-1");

    assertThat(inserted.id()).isEqualTo("r1");
    assertThat(requestHeaders)
        .extracting(h -> h.get("Idempotency-key"))
        .containsExactly(List.of("k-1"), List.of("k-1"));
  }

  @Test
  void aPatchIsNotRetried() {
    script.add(new Answer(503, "0", "{\"status\":503,\"code\":\"unavailable\"}"));

    assertThatThrownBy(
            () -> client(RetryPolicy.DEFAULT).records("items").update("r1", Map.of("a", 2)))
        .isInstanceOf(PlinthException.class);
    assertThat(arrivals).hasSize(1);
  }

  @Test
  void otherErrorsAreNotRetried() {
    script.add(new Answer(404, null, "{\"status\":404,\"code\":\"record_not_found\"}"));

    assertThatThrownBy(() -> client(RetryPolicy.DEFAULT).records("items").get("r1"))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThat(arrivals).hasSize(1);
  }

  @Test
  void backoffGrowsExponentiallyWithJitterUnderTheCap() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(500));
    for (int i = 0; i < 200; i++) {
      assertThat(policy.delay(1, Optional.empty()))
          .isBetween(Duration.ZERO, Duration.ofMillis(100));
      assertThat(policy.delay(3, Optional.empty()))
          .isBetween(Duration.ZERO, Duration.ofMillis(400));
      assertThat(policy.delay(8, Optional.empty()))
          .isBetween(Duration.ZERO, Duration.ofMillis(500));
    }
    assertThat(policy.delay(1, Optional.of("60"))).as("capped").isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    String inAMinute =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
    assertThat(RetryPolicy.parseRetryAfter(inAMinute).orElseThrow())
        .isBetween(Duration.ofSeconds(58), Duration.ofSeconds(60));
    assertThat(RetryPolicy.parseRetryAfter("soon")).isEmpty();
  }
}
