package io.plinth.provisioning.admin;

import io.plinth.provisioning.audit.AuditLog;
import io.plinth.provisioning.operators.OperatorAuth;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * How every admin route starts and answers. A mutation first names its action for the audit log,
 * then authenticates, so refused attempts are audited under the action they tried; a read only
 * authenticates. A mutation's success is sent only once its audit event is stored, so an
 * acknowledged change is never missing from the trail.
 */
public final class AdminHandlers {

  private final OperatorAuth auth;
  private final AuditLog audit;

  public AdminHandlers(OperatorAuth auth, AuditLog audit) {
    this.auth = auth;
    this.audit = audit;
  }

  /** A route that reads: authenticated. */
  public Route read(Route route) {
    return route.handler(auth);
  }

  /** A route that changes something: named {@code action} in the audit log, then authenticated. */
  public Route mutation(Route route, String action) {
    return route
        .handler(
            ctx -> {
              ctx.put(AuditLog.ACTION, action);
              ctx.next();
            })
        .handler(auth);
  }

  /** Sends the result as JSON with {@code status}; a failure goes to the failure handler. */
  public void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(json -> send(ctx, status, json)).onFailure(ctx::fail);
  }

  /** Sends {@code body} as JSON with {@code status}, a mutation's after its audit event. */
  public void send(RoutingContext ctx, int status, JsonObject body) {
    audited(ctx, status)
        .onSuccess(
            ignored ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encode()))
        .onFailure(ctx::fail);
  }

  /** Sends 204, a mutation's after its audit event. */
  public void noContent(RoutingContext ctx) {
    audited(ctx, 204)
        .onSuccess(ignored -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /**
   * Stores a mutation's audit event (a read has none), for a handler that writes its response
   * itself once this completes. When that fails the change is made but not audited, and the client
   * hears so rather than a success the trail does not show.
   */
  public Future<Void> audited(RoutingContext ctx, int status) {
    return audit.beforeResponse(ctx, status);
  }
}
