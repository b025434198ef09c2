package io.plinth.tenantapi.limits;

import io.plinth.platform.cluster.ClusterRateLimiter;
import io.plinth.platform.cluster.ClusterRateLimiter.Decision;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests per second from the tenant's plan, per tenant and per key, across the cluster. Every
 * answer carries {@code RateLimit-Policy} and {@code RateLimit} (draft-ietf-httpapi-ratelimit-
 * headers) for the limit nearest to running out; past a limit the answer is 429 {@code
 * rate_limited} with {@code Retry-After}. A plan whose rate is 0 has no limit.
 */
public final class RateLimiting implements Handler<RoutingContext> {

  private final ClusterRateLimiter limiter;

  public RateLimiting(ClusterRateLimiter limiter) {
    this.limiter = limiter;
  }

  private record Decisions(Decision key, Decision tenant) {}

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller.limits().ratePerSecond() <= 0) {
      ctx.next(); // a plan without a rate limit
      return;
    }
    // The key first, and the tenant only for requests the key lets through: a request refused by
    // its key must not spend the tenant's budget that other keys could use.
    limiter
        .acquire("key:" + caller.keyId(), caller.limits().ratePerKeyPerSecond())
        .compose(
            key ->
                (key.allowed()
                        ? limiter.acquire(
                            "tenant:" + caller.tenantId(), caller.limits().ratePerSecond())
                        : limiter.peek(
                            "tenant:" + caller.tenantId(), caller.limits().ratePerSecond()))
                    .map(tenant -> new Decisions(key, tenant)))
        .onSuccess(decisions -> answer(ctx, decisions))
        .onFailure(ctx::fail);
  }

  private static void answer(RoutingContext ctx, Decisions decisions) {
    Decision key = decisions.key();
    Decision tenant = decisions.tenant();
    ctx.response()
        .putHeader(
            "RateLimit-Policy",
            "\"tenant\";q=" + tenant.limit() + ";w=1, \"key\";q=" + key.limit() + ";w=1");
    // Report the limit that refused, else the one nearest to running out.
    boolean byKey = !key.allowed() || (tenant.allowed() && key.remaining() < tenant.remaining());
    Decision reported = byKey ? key : tenant;
    ctx.response()
        .putHeader(
            "RateLimit",
            "\"" + (byKey ? "key" : "tenant") + "\";r=" + reported.remaining() + ";t=1");
    if (!key.allowed() || !tenant.allowed()) {
      ctx.fail(
          new ProblemException(
              new Problem(
                      429,
                      "rate_limited",
                      "this "
                          + (byKey ? "key" : "tenant")
                          + " may send "
                          + reported.limit()
                          + " requests per second")
                  .retryAfterSeconds(1),
              byKey ? "key" : "tenant")); // for metrics: rate_limited_key or _tenant
      return;
    }
    ctx.next();
  }
}
