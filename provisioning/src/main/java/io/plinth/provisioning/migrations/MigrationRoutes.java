package io.plinth.provisioning.migrations;

import static io.plinth.provisioning.admin.AdminParams.ID;

import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.plinth.provisioning.admin.Paging;
import io.plinth.provisioning.admin.RequestParser;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /admin/v1/migrations}: start a fleet migration, list the runs, follow one's progress. */
public final class MigrationRoutes implements AdminApi.Resource {

  private static final String MIGRATIONS = AdminApi.BASE + "/migrations";

  private static final RequestParser<Paging> PAGING =
      RequestParser.of("migration-paging", ctx -> Paging.of(ctx.queryParams()));

  private final AdminHandlers admin;
  private final FleetMigrations migrations;

  public MigrationRoutes(AdminHandlers admin, FleetMigrations migrations) {
    this.admin = admin;
    this.migrations = migrations;
  }

  @Override
  public void addTo(Router router) {
    admin.mutation(router.post(MIGRATIONS), "migration.start").handler(this::start);
    admin.read(router.get(MIGRATIONS)).handler(PAGING).handler(this::list);
    admin.read(router.get(MIGRATIONS + "/:id")).handler(ID).handler(this::progress);
  }

  private void start(RoutingContext ctx) {
    migrations
        .start()
        .onSuccess(
            run -> {
              ctx.response().putHeader("Location", MIGRATIONS + "/" + run);
              admin.send(
                  ctx, 202, new JsonObject().put("id", run.toString()).put("status", "running"));
            })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    admin.reply(ctx, 200, migrations.page(PAGING.get(ctx)));
  }

  private void progress(RoutingContext ctx) {
    admin.reply(ctx, 200, migrations.progress(ID.get(ctx)));
  }
}
