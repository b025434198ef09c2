package io.plinth.tenantapi.identity;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.RegistryEntries;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/identity}: where the calling tenant's end users sign in ({@link SignIn}), for
 * SDKs, with any of its keys. Read from the registry on each call (one primary-key read: SDKs ask
 * once per sign-in), so a changed identity shows at once; clients may keep the answer 60 s.
 */
public final class IdentityRoutes {

  static final String PATH = "/v1/identity";

  private final RegistryEntries registry;

  public IdentityRoutes(RegistryEntries registry) {
    this.registry = registry;
  }

  public void addTo(Router router) {
    router.get(PATH).handler(this::identity);
  }

  private void identity(RoutingContext ctx) {
    registry
        .identity(Caller.of(ctx).tenantId())
        .map(
            identity ->
                identity
                    .flatMap(SignIn::of)
                    .orElseThrow(
                        () ->
                            new ProblemException(
                                404,
                                "sign_in_not_configured",
                                "this tenant has no end-user sign-in")))
        .onSuccess(
            answer ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "private, max-age=60")
                    .end(answer.encode()))
        .onFailure(ctx::fail);
  }
}
