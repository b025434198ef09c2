package io.plinth.provisioning.audit;

import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.plinth.provisioning.admin.RequestParser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/v1/audit}: the audit trail, newest first, filtered (see {@link AuditQuery}).
 */
public final class AuditRoutes implements AdminApi.Resource {

  private static final RequestParser<AuditQuery> QUERY =
      RequestParser.of("audit-query", ctx -> AuditQuery.from(ctx.queryParams()));

  private final AdminHandlers admin;
  private final AuditLog audit;

  public AuditRoutes(AdminHandlers admin, AuditLog audit) {
    this.admin = admin;
    this.audit = audit;
  }

  @Override
  public void addTo(Router router) {
    admin.read(router.get(AdminApi.BASE + "/audit")).handler(QUERY).handler(this::page);
  }

  private void page(RoutingContext ctx) {
    AuditQuery query = QUERY.get(ctx);
    admin.reply(ctx, 200, audit.page(query.filter(), query.paging()));
  }
}
