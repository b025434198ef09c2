package io.plinth.tenantapi.cluster;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * A node split from the cluster's majority (split-brain protection, {@code
 * plinth.cluster.min-members}) refuses writes with 503 {@code cluster_unavailable}: a write must
 * invalidate what other nodes cached of it, and this node cannot reach them, so the other side
 * would go on serving the old value. Reads go on (from PostgreSQL): they cannot make anything
 * stale. With split-brain protection off, every node counts as the majority.
 */
public final class WritesNeedMajority implements Handler<RoutingContext> {

  private final BooleanSupplier hasMajority;

  public WritesNeedMajority(BooleanSupplier hasMajority) {
    this.hasMajority = hasMajority;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    boolean reads = method == HttpMethod.GET || method == HttpMethod.HEAD;
    if (reads || hasMajority.getAsBoolean()) {
      ctx.next();
      return;
    }
    ctx.fail(
        new ProblemException(
            new Problem(
                    503,
                    "cluster_unavailable",
                    "this node is cut off from most of the cluster and takes no writes; try again")
                .retryAfterSeconds(2)));
  }
}
