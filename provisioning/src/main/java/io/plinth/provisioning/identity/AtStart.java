package io.plinth.provisioning.identity;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something the control plane makes in Keycloak when it starts (the platform realm, the realm
 * creator): tried once; when Keycloak does not answer the node starts anyway and keeps trying in
 * the background with {@link Backoff}; a refusal (a wrong administrator password) fails the start.
 */
final class AtStart {

  private static final Logger LOG = LoggerFactory.getLogger(AtStart.class);

  private AtStart() {}

  /**
   * Completes when {@code attempt} succeeded, or at once (retrying in the background) when Keycloak
   * is unavailable; fails when Keycloak refuses.
   */
  static Future<Void> ensure(
      Vertx vertx, Duration retryMaxDelay, String what, Supplier<Future<Void>> attempt) {
    Promise<Void> started = Promise.promise();
    Backoff.retry(
            vertx,
            retryMaxDelay,
            attempt,
            (failure, delay) -> {
              if (!started.future().isComplete()) {
                LOG.warn(
                    "Keycloak unavailable: {} is made once it answers {}",
                    what,
                    kv("reason", failure.getMessage()));
                started.complete();
              }
            })
        .onSuccess(ignored -> started.tryComplete())
        .onFailure(
            failure -> {
              // A refusal before the start answered fails it; after, only the log hears of it.
              if (!started.tryFail(failure)) {
                LOG.error(
                    "Keycloak refused to make {} {}", what, kv("reason", failure.getMessage()));
              }
            });
    return started.future();
  }
}
