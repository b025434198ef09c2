package io.plinth.tenantapi.auth;

import io.plinth.platform.identity.EndUser;
import io.plinth.platform.identity.TokenExpectation;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.TenantLimits;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling the data plane: which tenant (and so which schema), with which kind of key, what
 * the tenant's end users' tokens must say (empty: the tenant has no end-user sign-in), and the
 * signed-in end user when a valid user token came with it. Every data-plane operation takes its
 * schema from here and from nowhere else.
 */
public record Caller(
    UUID tenantId,
    String tenantSlug,
    String schema,
    UUID keyId,
    KeyKind keyKind,
    TenantLimits limits,
    Optional<TokenExpectation> userTokens,
    Optional<EndUser> user) {

  private static final String KEY = "plinth.caller";

  public boolean isSecret() {
    return keyKind == KeyKind.SECRET;
  }

  /** The same caller, signed in as {@code user}. */
  Caller signedInAs(EndUser user) {
    return new Caller(
        tenantId, tenantSlug, schema, keyId, keyKind, limits, userTokens, Optional.of(user));
  }

  /** The owner new records get: the signed-in user's subject, or null. */
  public String ownerOfNewRecords() {
    return user.map(EndUser::subject).orElse(null);
  }

  public void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The authenticated caller, or null before (or without) authentication. */
  public static Caller find(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The authenticated caller; the authentication handler guarantees it on every /v1 route. */
  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("no caller: the route is not behind ApiKeyAuthentication");
    }
    return caller;
  }
}
