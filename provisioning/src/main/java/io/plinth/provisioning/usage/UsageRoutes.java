package io.plinth.provisioning.usage;

import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.plinth.provisioning.admin.RequestParser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /admin/v1/usage/series}: requests, errors, latency and storage over time. */
public final class UsageRoutes implements AdminApi.Resource {

  private static final RequestParser<UsageQuery> QUERY =
      RequestParser.of("usage-query", ctx -> UsageQuery.from(ctx.queryParams()));

  private final AdminHandlers admin;
  private final UsageReport report;

  public UsageRoutes(AdminHandlers admin, UsageReport report) {
    this.admin = admin;
    this.report = report;
  }

  @Override
  public void addTo(Router router) {
    admin.read(router.get(AdminApi.BASE + "/usage/series")).handler(QUERY).handler(this::series);
  }

  private void series(RoutingContext ctx) {
    UsageQuery query = QUERY.get(ctx);
    admin.reply(ctx, 200, report.series(query.range(), query.tenant()));
  }
}
