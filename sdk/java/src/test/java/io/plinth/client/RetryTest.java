package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry policy against a real HTTP server that answers from a script. */
class RetryTest {

  private final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void stop() {
    server.close();
  }

  private void script(int status, String retryAfter, String body) {
    server.then(new ScriptedServer.Answer(status, retryAfter, body));
  }

  private List<Long> arrivals() {
    return server.requests().stream().map(ScriptedServer.Request::arrivedAtNanos).toList();
  }

  private List<Map<String, List<String>>> requestHeaders() {
    return server.requests().stream().map(ScriptedServer.Request::headers).toList();
  }

  private PlinthClient client(RetryPolicy policy) {
    return PlinthClient.builder(server.url())
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
    script(429, "1", RATE_LIMITED);
    script(200, null, "{\"id\":\"r1\",\"version\":1}");

    Record record = client(RetryPolicy.DEFAULT).records("items").get("r1");

    assertThat(record.id()).isEqualTo("r1");
    assertThat(arrivals()).hasSize(2);
    assertThat(Duration.ofNanos(arrivals().get(1) - arrivals().get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void theContractsHeadersGoWithEveryCall() {
    client(RetryPolicy.NONE).records("items").get("r1");

    Map<String, List<String>> headers = requestHeaders().get(0);
    assertThat(headers.get("Apikey")).containsExactly("plinth_pk_test");
    assertThat(headers.get("Authorization")).containsExactly("Bearer user.jwt");
  }

  @Test
  void a503WithoutRetryAfterIsRetriedWithBackoffUntilTheAttemptsRunOut() {
    for (int i = 0; i < 3; i++) {
      script(503, null, "{\"status\":503,\"code\":\"unavailable\"}");
    }
    RetryPolicy threeAttempts = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50));

    assertThatThrownBy(() -> client(threeAttempts).records("items").get("r1"))
        .isInstanceOfSatisfying(
            PlinthException.class, e -> assertThat(e.code()).isEqualTo("unavailable"));
    assertThat(arrivals()).hasSize(3);
  }

  @Test
  void anInsertWithoutIdempotencyKeyIsNotRetried() {
    script(429, "0", RATE_LIMITED);

    assertThatThrownBy(() -> client(RetryPolicy.DEFAULT).records("items").insert(Map.of("a", 1)))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(429));
    assertThat(arrivals()).hasSize(1);
  }

  @Test
  void anInsertWithIdempotencyKeyIsRetriedWithTheSameKey() {
    script(429, "0", RATE_LIMITED);
    script(201, null, "{\"id\":\"r1\",\"version\":1}");

    Record inserted = client(RetryPolicy.DEFAULT).records("items").insert(Map.of("a", 1), "k-1");

    assertThat(inserted.id()).isEqualTo("r1");
    assertThat(requestHeaders())
        .extracting(h -> h.get("Idempotency-key"))
        .containsExactly(List.of("k-1"), List.of("k-1"));
  }

  @Test
  void aPatchIsNotRetried() {
    script(503, "0", "{\"status\":503,\"code\":\"unavailable\"}");

    assertThatThrownBy(
            () -> client(RetryPolicy.DEFAULT).records("items").update("r1", Map.of("a", 2)))
        .isInstanceOf(PlinthException.class);
    assertThat(arrivals()).hasSize(1);
  }

  @Test
  void otherErrorsAreNotRetried() {
    script(404, null, "{\"status\":404,\"code\":\"record_not_found\"}");

    assertThatThrownBy(() -> client(RetryPolicy.DEFAULT).records("items").get("r1"))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThat(arrivals()).hasSize(1);
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
