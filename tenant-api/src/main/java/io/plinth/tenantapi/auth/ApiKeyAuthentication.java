package io.plinth.tenantapi.auth;

import io.plinth.platform.http.Problem;
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

  // Why a key was refused, for metrics only: the client gets the same invalid_api_key for each,
  // so it cannot tell a revoked key from one that never existed.
  public static final String MALFORMED_KEY = "malformed_key";
  public static final String UNKNOWN_KEY = "unknown_key";
  public static final String REVOKED_KEY = "revoked_key";
  public static final String EXPIRED_KEY = "expired_key";
  public static final String TENANT_NOT_ACTIVE = "tenant_not_active";
  public static final String TENANT_SUSPENDED = "tenant_suspended";
  public static final String MISSING_KEY = "missing_key";

  /**
   * The routing-context entry holding the slug of the tenant whose key was refused (revoked,
   * expired, tenant not active), for metrics: the request never gets a {@link Caller}.
   */
  public static final String REFUSED_KEY_TENANT = "plinth.refused-key-tenant";

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
      ctx.fail(
          new ProblemException(
              new Problem(401, "missing_api_key", "send an API key in header apikey"),
              MISSING_KEY));
      return;
    }
    Optional<ApiKeys.WellFormedKey> key =
        ApiKeys.parse(text.get()).filter(k -> k.kind() != KeyKind.OPERATOR);
    if (key.isEmpty()) {
      ctx.fail(invalid(MALFORMED_KEY));
      return;
    }
    keys.find(key.get())
        .compose(
            found ->
                found
                    .map(record -> admit(ctx, record))
                    .orElseGet(() -> Future.failedFuture(invalid(UNKNOWN_KEY))))
        .onSuccess(
            caller -> {
              caller.attachTo(ctx);
              usage.used(key.get().hash());
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  private Future<Caller> admit(RoutingContext ctx, KeyDirectory.KeyRecord found) {
    KeyEntry key = found.key();
    TenantEntry tenant = found.tenant();
    if (key.revoked()) {
      return refused(ctx, tenant, invalid(REVOKED_KEY));
    }
    if (key.expiresAt() != null && !key.expiresAt().isAfter(OffsetDateTime.now(clock))) {
      return refused(ctx, tenant, invalid(EXPIRED_KEY));
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
          refused(
              ctx,
              tenant,
              new ProblemException(
                  new Problem(
                      403, "tenant_suspended", "tenant '" + tenant.slug() + "' is suspended"),
                  TENANT_SUSPENDED));
      // provisioning, deleting, deleted, failed
      default -> refused(ctx, tenant, invalid(TENANT_NOT_ACTIVE));
    };
  }

  private static Future<Caller> refused(
      RoutingContext ctx, TenantEntry tenant, ProblemException problem) {
    ctx.put(REFUSED_KEY_TENANT, tenant.slug());
    return Future.failedFuture(problem);
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

  private static ProblemException invalid(String reason) {
    return new ProblemException(
        new Problem(401, "invalid_api_key", "the API key is not valid"), reason);
  }
}
