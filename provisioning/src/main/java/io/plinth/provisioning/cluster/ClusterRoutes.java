package io.plinth.provisioning.cluster;

import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.vertx.ext.web.Router;

/** {@code GET /admin/v1/cluster}: the nodes, members and dependencies of the whole platform. */
public final class ClusterRoutes implements AdminApi.Resource {

  private final AdminHandlers admin;
  private final ClusterOverview overview;

  public ClusterRoutes(AdminHandlers admin, ClusterOverview overview) {
    this.admin = admin;
    this.overview = overview;
  }

  @Override
  public void addTo(Router router) {
    admin
        .read(router.get(AdminApi.BASE + "/cluster"))
        .handler(ctx -> admin.reply(ctx, 200, overview.overview()));
  }
}
