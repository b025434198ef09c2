package io.plinth.tenantapi.auth;

import io.plinth.platform.keys.KeyKind;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Who is calling the data plane: which tenant (and so which schema), with which kind of key. Every
 * data-plane operation takes its schema from here and from nowhere else.
 */
public record Caller(UUID tenantId, String tenantSlug, String schema, UUID keyId, KeyKind keyKind) {

  private static final String KEY = "plinth.caller";

  public boolean isSecret() {
    return keyKind == KeyKind.SECRET;
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
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
