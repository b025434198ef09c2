package io.plinth.provisioning.operators;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.config.Secret;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.KeyUsage;
import io.plinth.platform.registry.OperatorKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates {@code /admin/v1}: an operator key ({@code plinth_ok_…}) in {@code Authorization:
 * Bearer} or {@code apikey}, or, when Keycloak is configured, an access token of the platform realm
 * in {@code Authorization: Bearer} ({@link OperatorTokens}: 401 when it does not verify, 403
 * without the role {@code platform-admin}). A malformed key is refused before any lookup.
 */
public final class OperatorAuth implements Handler<RoutingContext> {

  /** Who made the request, for the audit log; set on the routing context. */
  public static final String ACTOR = "plinth.actor";

  private static final Logger LOG = LoggerFactory.getLogger(OperatorAuth.class);
  private final OperatorKeys keys;
  private final KeyUsage usage;
  private final Optional<OperatorTokens> tokens;
  private final MeterRegistry meters;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();

  /**
   * @param meters where refused sign-ins are counted, as {@code
   *     plinth_operator_auth_failures_total} by reason: {@code missing_credential}, {@code
   *     malformed_key}, {@code unknown_key} (no such live key: wrong, revoked or expired), {@code
   *     token_refused}, {@code token_lacks_role}
   */
  public OperatorAuth(
      OperatorKeys keys, KeyUsage usage, Optional<OperatorTokens> tokens, MeterRegistry meters) {
    this.keys = keys;
    this.usage = usage;
    this.tokens = tokens;
    this.meters = meters;
  }

  private void failed(String reason) {
    failures
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("plinth.operator.auth.failures")
                    .description("Requests to /admin/v1 refused for their credentials, by reason")
                    .tag("reason", r)
                    .register(meters))
        .increment();
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticate(ctx).onSuccess(ignored -> ctx.next()).onFailure(ctx::fail);
  }

  /** Checks the credential and records the actor; fails with 401 when it is not accepted. */
  public Future<Void> authenticate(RoutingContext ctx) {
    Optional<String> credential = credential(ctx);
    if (tokens.isPresent()
        && credential.filter(OperatorTokens::looksLikeJwt).isPresent()
        && ctx.request().getHeader("Authorization") != null) {
      return tokens
          .get()
          .verify(credential.get())
          .onSuccess(operator -> ctx.put(ACTOR, operator.actor()))
          .onFailure(
              e ->
                  failed(
                      e instanceof ProblemException p && p.problem().status() == 403
                          ? "token_lacks_role"
                          : "token_refused"))
          .mapEmpty();
    }
    if (credential.isEmpty()) {
      failed("missing_credential");
      return Future.failedFuture(unauthorized());
    }
    Optional<ApiKeys.WellFormedKey> key =
        credential.flatMap(ApiKeys::parse).filter(k -> k.kind() == KeyKind.OPERATOR);
    if (key.isEmpty()) {
      failed("malformed_key");
      return Future.failedFuture(unauthorized());
    }
    return keys.nameOfLive(key.get().hash())
        .compose(
            name -> {
              if (name.isEmpty()) {
                failed("unknown_key");
                return Future.failedFuture(unauthorized());
              }
              ctx.put(ACTOR, "operator:" + name.get());
              usage.used(key.get().hash());
              return Future.succeededFuture();
            });
  }

  private static Optional<String> credential(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim());
    }
    return Optional.ofNullable(ctx.request().getHeader("apikey"));
  }

  private static ProblemException unauthorized() {
    return new ProblemException(
        401, "unauthorized", "an operator key or a platform-admin token is required");
  }

  /**
   * On first start, stores the bootstrap key's hash when no operator key exists yet. Later starts
   * leave the registry alone, so changing the setting never adds a second way in.
   */
  public static Future<Void> bootstrap(OperatorKeys keys, Secret bootstrapKey) {
    if (bootstrapKey.isEmpty()) {
      return keys.countLive()
          .onSuccess(
              count -> {
                if (count == 0) {
                  LOG.warn(
                      "no operator key exists and none is configured: the admin API refuses every"
                          + " request; set PLINTH_BOOTSTRAP_OPERATOR_KEY");
                }
              })
          .mapEmpty();
    }
    Optional<ApiKeys.WellFormedKey> key =
        ApiKeys.parse(bootstrapKey.value()).filter(k -> k.kind() == KeyKind.OPERATOR);
    if (key.isEmpty()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "PLINTH_BOOTSTRAP_OPERATOR_KEY is not an operator key (plinth_ok_…)"));
    }
    return keys.storeFirst(
            "bootstrap", ApiKeys.displayPrefix(bootstrapKey.value()), key.get().hash())
        .onSuccess(
            stored -> {
              if (stored) {
                LOG.info(
                    "bootstrap operator key stored {}",
                    kv("prefix", ApiKeys.displayPrefix(bootstrapKey.value())));
              }
            })
        .mapEmpty();
  }
}
