package io.plinth.provisioning.identity;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.Future;
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
    return attempt
        .get()
        .recover(
            failure -> {
              if (!IdentityUnavailable.isCause(failure)) {
                return Future.failedFuture(failure);
              }
              LOG.warn(
                  "Keycloak unavailable: {} is made once it answers {}",
                  what,
                  kv("reason", failure.getMessage()));
              retryLater(vertx, retryMaxDelay, what, attempt, 0);
              return Future.succeededFuture();
            });
  }

  private static void retryLater(
      Vertx vertx, Duration retryMaxDelay, String what, Supplier<Future<Void>> attempt, int tries) {
    vertx.setTimer(
        Backoff.delay(tries, retryMaxDelay).toMillis(),
        id ->
            attempt
                .get()
                .onFailure(
                    failure -> {
                      if (IdentityUnavailable.isCause(failure)) {
                        retryLater(vertx, retryMaxDelay, what, attempt, tries + 1);
                      } else {
                        LOG.error(
                            "Keycloak refused to make {} {}",
                            what,
                            kv("reason", failure.getMessage()));
                      }
                    }));
  }
}
