package io.plinth.provisioning.identity;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' realm {@value RealmTemplates#PLATFORM_REALM} on the primary instance, made at
 * control-plane start unless it exists: several nodes may start at once, and the one that loses the
 * race gets a 409, which is fine. Later changes to the settings do not alter an existing realm
 * (edit it in Keycloak's admin console). When Keycloak is unreachable the node starts anyway and
 * keeps trying in the background; a refusal (a wrong administrator password) stops the start.
 */
public final class PlatformRealm {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformRealm.class);

  private final Vertx vertx;
  private final KeycloakAdmin admin;
  private final IdentitySettings settings;

  public PlatformRealm(Vertx vertx, KeycloakAdmin admin, IdentitySettings settings) {
    this.vertx = vertx;
    this.admin = admin;
    this.settings = settings;
  }

  /** The issuer of the platform realm's tokens. */
  public String issuer() {
    return admin.instance().issuer(RealmTemplates.PLATFORM_REALM);
  }

  /**
   * Makes the realm; completes when it exists, or at once (retrying in the background) when
   * Keycloak does not answer. Fails when Keycloak refuses.
   */
  public Future<Void> ensure() {
    return attempt()
        .recover(
            failure -> {
              if (!IdentityUnavailable.isCause(failure)) {
                return Future.failedFuture(failure);
              }
              LOG.warn(
                  "Keycloak unavailable: the platform realm is made once it answers {}",
                  kv("reason", failure.getMessage()));
              retryLater(0);
              return Future.succeededFuture();
            });
  }

  private void retryLater(int attempt) {
    Duration delay = Backoff.delay(attempt, settings.retryMaxDelay());
    vertx.setTimer(
        delay.toMillis(),
        id ->
            attempt()
                .onFailure(
                    failure -> {
                      if (IdentityUnavailable.isCause(failure)) {
                        retryLater(attempt + 1);
                      } else {
                        LOG.error(
                            "Keycloak refused to make the platform realm {}",
                            kv("reason", failure.getMessage()));
                      }
                    }));
  }

  private Future<Void> attempt() {
    Promise<Void> done = Promise.promise();
    Optional<String> automationSecret =
        settings.automationSecret().isEmpty()
            ? Optional.empty()
            : Optional.of(settings.automationSecret().value());
    admin
        .call(
            HttpMethod.POST,
            "",
            KeycloakAdmin.MASTER_ADMIN,
            RealmTemplates.platformRealm(
                settings.consoleRedirectUris(),
                automationSecret,
                admin.provisionerSecret(RealmTemplates.PLATFORM_REALM)))
        .compose(
            answer ->
                KeycloakAdmin.expect(
                    answer, "create realm " + RealmTemplates.PLATFORM_REALM, 201, 409))
        .onSuccess(
            answer ->
                LOG.info(
                    answer.status() == 201 ? "platform realm made {}" : "platform realm exists {}",
                    kv("issuer", issuer())))
        .<Void>mapEmpty()
        .onComplete(done);
    return done.future();
  }
}
