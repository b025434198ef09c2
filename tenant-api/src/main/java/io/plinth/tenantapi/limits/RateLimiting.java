package io.plinth.tenantapi.limits;

import io.plinth.platform.cluster.ClusterRateLimiter;
import io.plinth.platform.cluster.ClusterRateLimiter.Decision;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.vertx.core.Future;
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

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller.limits().requestsPerSecond() <= 0) {
      ctx.next(); // a plan without a rate limit
      return;
    }
    Future<Decision> tenant =
        limiter.acquire("tenant:" + caller.tenantId(), caller.limits().requestsPerSecond());
    Future<Decision> key =
        limiter.acquire("key:" + caller.keyId(), caller.limits().requestsPerKeyPerSecond());
    Future.all(tenant, key)
        .onSuccess(
            both -> {
              ctx.response()
                  .putHeader(
                      "RateLimit-Policy",
                      "\"tenant\";q="
                          + tenant.result().limit()
                          + ";w=1, \"key\";q="
                          + key.result().limit()
                          + ";w=1");
              boolean keyNearer = key.result().remaining() < tenant.result().remaining();
              Decision nearest = keyNearer ? key.result() : tenant.result();
              ctx.response()
                  .putHeader(
                      "RateLimit",
                      "\""
                          + (keyNearer ? "key" : "tenant")
                          + "\";r="
                          + nearest.remaining()
                          + ";t=1");
              if (!tenant.result().allowed() || !key.result().allowed()) {
                String which = !key.result().allowed() ? "key" : "tenant";
                ctx.fail(
                    new ProblemException(
                        new Problem(
                                429,
                                "rate_limited",
                                "this "
                                    + which
                                    + " may send "
                                    + nearest.limit()
                                    + " requests per second")
                            .retryAfterSeconds(1)));
                return;
              }
              ctx.next();
            })
        .onFailure(ctx::fail);
  }
}
