package io.plinth.provisioning.identity;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' realm {@value RealmTemplates#PLATFORM_REALM} on the primary instance, made at
 * control-plane start unless it exists: several nodes may start at once, and the one that loses the
 * race gets a 409, which is fine. Later changes to the settings do not alter an existing realm
 * (edit it in Keycloak's admin console). When Keycloak is unreachable the node starts anyway and
 * keeps trying in the background; a refusal (a wrong administrator password) stops the start
 * ({@link AtStart}). Made by master's administrator: part of the start-up bootstrap, like {@link
 * RealmCreator}.
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
   * Makes the realm as master's administrator (a start-up bootstrap, ADR 0010); completes when it
   * exists, or at once (retrying in the background) when Keycloak does not answer. Fails when
   * Keycloak refuses.
   */
  public Future<Void> ensure() {
    return AtStart.ensure(vertx, settings.retryMaxDelay(), "the platform realm", this::attempt);
  }

  private Future<Void> attempt() {
    Optional<String> automationSecret =
        settings.automationSecret().isEmpty()
            ? Optional.empty()
            : Optional.of(settings.automationSecret().value());
    return admin
        .call(
            HttpMethod.POST,
            "",
            KeycloakAdmin.MASTER_ADMIN,
            RealmTemplates.platformRealm(
                settings.consoleRedirectUris(),
                automationSecret,
                settings.firstOperator(),
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
        .mapEmpty();
  }
}
