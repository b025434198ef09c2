package io.plinth.provisioning.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Backoff#retry}: retries while Keycloak is unavailable, stops at the first success, never
 * retries a refusal. "No further attempt" is checked without guessing: timers of one event loop
 * fire in the order of their deadlines, so a retry due within {@link #MAX} of the result runs
 * before a timer set after the result for {@link #QUIET} would.
 */
class BackoffRetryTest {

  private static final Duration MAX = Duration.ofMillis(20);
  private static final Duration QUIET = MAX.multipliedBy(10);

  private static Vertx vertx;
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<Duration> retryDelays = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void retriesWhileKeycloakIsUnavailableAndStopsAtTheFirstSuccess() throws Exception {
    Settled<String> settled =
        retry(
            () ->
                switch (attempts.incrementAndGet()) {
                  case 1 -> Future.failedFuture(new IdentityUnavailable("connection refused"));
                  case 2 ->
                      // Unavailability as the cause of another failure counts too.
                      Future.failedFuture(
                          new IllegalStateException(
                              "step failed", new IdentityUnavailable("503 from Keycloak")));
                  default -> Future.succeededFuture("made");
                });

    assertThat(settled.result.succeeded()).as(String.valueOf(settled.result.cause())).isTrue();
    assertThat(settled.result.result()).isEqualTo("made");
    assertThat(settled.attemptsAfterQuiet).as("attempts, and none after the success").isEqualTo(3);
    assertThat(retryDelays).containsExactly(MAX, MAX);
  }

  @Test
  void aRefusalIsNotRetried() throws Exception {
    KeycloakRefused refusal = new KeycloakRefused(401, "invalid_client");
    Settled<String> settled =
        retry(
            () -> {
              attempts.incrementAndGet();
              return Future.failedFuture(refusal);
            });

    assertThat(settled.result.failed()).isTrue();
    assertThat(settled.result.cause()).isSameAs(refusal);
    assertThat(settled.attemptsAfterQuiet).as("attempts, and none after the refusal").isEqualTo(1);
    assertThat(retryDelays).isEmpty();
  }

  @Test
  void aRefusalAfterRetriesEndsThem() throws Exception {
    Settled<String> settled =
        retry(
            () ->
                attempts.incrementAndGet() < 3
                    ? Future.failedFuture(new IdentityUnavailable("timeout"))
                    : Future.failedFuture(new KeycloakRefused(403, "forbidden")));

    assertThat(settled.result.cause()).isInstanceOf(KeycloakRefused.class);
    assertThat(settled.attemptsAfterQuiet).isEqualTo(3);
    assertThat(retryDelays).hasSize(2);
  }

  /** The retry's result, and the number of attempts once {@link #QUIET} has passed after it. */
  private record Settled<T>(AsyncResult<T> result, int attemptsAfterQuiet) {}

  private <T> Settled<T> retry(Supplier<Future<T>> attempt) throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<Settled<T>> settled = Promise.promise();
    context.runOnContext(
        ignored ->
            Backoff.retry(vertx, MAX, attempt, (failure, delay) -> retryDelays.add(delay))
                .onComplete(
                    done ->
                        vertx.setTimer(
                            QUIET.toMillis(),
                            id -> settled.complete(new Settled<>(done, attempts.get())))));
    return settled.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
