package io.plinth.tenantapi.auth;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.KeyEntry;
import io.plinth.platform.registry.KeyUsage;
import io.plinth.platform.registry.TenantEntry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Authenticates every {@code /v1} request by its API key: from header {@code apikey}, or from
 * {@code Authorization: Bearer} when that holds a Plinth key (else it is an end user's token). A
 * malformed key is refused before any lookup; an unknown, revoked or expired one with 401; a
 * suspended tenant with 403 {@code tenant_suspended}; a tenant in any other state fails closed.
 */
public final class ApiKeyAuthentication implements Handler<RoutingContext> {

  private final KeyDirectory keys;
  private final KeyUsage usage;
  private final Clock clock;

  public ApiKeyAuthentication(KeyDirectory keys, KeyUsage usage, Clock clock) {
    this.keys = keys;
    this.usage = usage;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<String> text = credential(ctx);
    if (text.isEmpty()) {
      ctx.fail(new ProblemException(401, "missing_api_key", "send an API key in header apikey"));
      return;
    }
    Optional<ApiKeys.WellFormedKey> key =
        ApiKeys.parse(text.get()).filter(k -> k.kind() != KeyKind.OPERATOR);
    if (key.isEmpty()) {
      ctx.fail(invalid());
      return;
    }
    keys.find(key.get())
        .compose(found -> found.map(this::admit).orElseGet(() -> Future.failedFuture(invalid())))
        .onSuccess(
            caller -> {
              caller.attachTo(ctx);
              usage.used(key.get().hash());
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  private Future<Caller> admit(KeyDirectory.KeyRecord found) {
    KeyEntry key = found.key();
    TenantEntry tenant = found.tenant();
    if (key.revoked()
        || key.expiresAt() != null && !key.expiresAt().isAfter(OffsetDateTime.now(clock))) {
      return Future.failedFuture(invalid());
    }
    return switch (tenant.status()) {
      case ACTIVE ->
          Future.succeededFuture(
              new Caller(
                  key.tenantId(),
                  tenant.slug(),
                  tenant.schema(),
                  key.id(),
                  key.kind(),
                  tenant.limits(),
                  tenant.userTokens(),
                  Optional.empty()));
      case SUSPENDED ->
          Future.failedFuture(
              new ProblemException(
                  403, "tenant_suspended", "tenant '" + tenant.slug() + "' is suspended"));
      default -> Future.failedFuture(invalid()); // provisioning, deleting, deleted, failed
    };
  }

  private static Optional<String> credential(RoutingContext ctx) {
    String apikey = ctx.request().getHeader("apikey");
    if (apikey != null) {
      return Optional.of(apikey.trim());
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && isApiKey(authorization.substring(7).trim())) {
      return Optional.of(authorization.substring(7).trim());
    }
    return Optional.empty();
  }

  /** Plinth keys start {@code plinth_}; any other bearer credential is an end user's token. */
  static boolean isApiKey(String credential) {
    return credential.startsWith("plinth_");
  }

  private static ProblemException invalid() {
    return new ProblemException(401, "invalid_api_key", "the API key is not valid");
  }
}
