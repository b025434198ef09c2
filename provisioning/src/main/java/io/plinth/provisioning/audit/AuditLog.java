package io.plinth.provisioning.audit;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.http.RequestIds;
import io.plinth.platform.registry.AuditEvent;
import io.plinth.platform.registry.AuditEvents;
import io.plinth.provisioning.admin.Paging;
import io.plinth.provisioning.operators.OperatorAuth;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit trail of admin mutations: who, what, on which target, with what outcome,
 * when, from where, under which request id. Refused attempts (401, 403, 409…) are recorded too.
 */
public final class AuditLog {

  /** The action name a handler sets, e.g. {@code tenant.create}; else method and route. */
  public static final String ACTION = "plinth.audit.action";

  /** The tenant an action is about, when the path does not name it (a create). */
  public static final String TENANT = "plinth.audit.tenant";

  private static final String RECORDED = "plinth.audit.recorded";
  private static final java.util.regex.Pattern TENANT_IN_PATH =
      java.util.regex.Pattern.compile("/admin/v1/tenants/([^/:]+)");
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private final AuditEvents events;

  public AuditLog(AuditEvents events) {
    this.events = events;
  }

  /**
   * A route handler for mutations and audited reads. A success is recorded by {@link
   * #beforeResponse} before the client hears of it, so an acknowledged mutation is never missing
   * from the trail; anything else (refusals, failures) is recorded once its response has been sent.
   */
  public Handler<RoutingContext> recorder() {
    return ctx -> {
      ctx.addEndHandler(
          ignored -> {
            if (ctx.get(RECORDED) == null && audited(ctx)) {
              record(ctx, ctx.response().getStatusCode());
            }
          });
      ctx.next();
    };
  }

  /** Mutations are; reads are when their route names an action (an operator's data reads). */
  private static boolean audited(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    return ctx.get(ACTION) != null || (method != HttpMethod.GET && method != HttpMethod.HEAD);
  }

  /** Records a mutation's event with the status about to be sent; completes once it is stored. */
  public Future<Void> beforeResponse(RoutingContext ctx, int status) {
    if (ctx.get(ACTION) == null) {
      return Future.succeededFuture(); // not a mutation
    }
    ctx.put(RECORDED, Boolean.TRUE);
    return record(ctx, status);
  }

  private Future<Void> record(RoutingContext ctx, int status) {
    String action =
        Optional.<String>ofNullable(ctx.get(ACTION))
            .orElse(ctx.request().method().name() + " " + ctx.normalizedPath());
    String actor = Optional.<String>ofNullable(ctx.get(OperatorAuth.ACTOR)).orElse("anonymous");
    String tenant = ctx.get(TENANT);
    if (tenant == null) {
      var matcher = TENANT_IN_PATH.matcher(ctx.request().path());
      tenant = matcher.lookingAt() ? matcher.group(1) : null;
    }
    return events
        .append(
            new AuditEvents.NewEvent(
                actor,
                action,
                ctx.request().path(),
                tenant,
                status,
                ctx.request().remoteAddress() == null
                    ? null
                    : ctx.request().remoteAddress().hostAddress(),
                RequestIds.of(ctx)))
        .onFailure(
            e ->
                LOG.error(
                    "audit event lost {} {} {}",
                    kv("action", action),
                    kv("requestId", RequestIds.of(ctx)),
                    kv("reason", e.getMessage())));
  }

  /** The events that match, newest first, a page of them: {@code {items, next}}. */
  public Future<JsonObject> page(AuditEvents.Filter filter, Paging paging) {
    return events
        .page(filter, paging.after(), paging.fetch())
        .map(page -> paging.page(page, AuditEvent::toJson, AuditEvent::id));
  }
}
