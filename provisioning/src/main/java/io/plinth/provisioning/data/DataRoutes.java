package io.plinth.provisioning.data;

import static io.plinth.provisioning.admin.AdminParams.SLUG;

import io.plinth.platform.http.RequestIds;
import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.plinth.provisioning.admin.RequestParser;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /admin/v1/tenants/{slug}/data/{path…}}: an operator reads ({@code data.read}) and changes
 * ({@code data.write}) a tenant's data through the data plane; every request is audited. The routes
 * match the raw path, not the router's normalised one, so that a path with {@code ..} is refused
 * here rather than resolved to another admin route.
 */
public final class DataRoutes implements AdminApi.Resource {

  private static final String TENANTS = AdminApi.BASE + "/tenants/";
  private static final String DATA = TENANTS + ":slug/data/*";

  /** The operation as the OpenAPI document names it. */
  static final String TEMPLATE = AdminApi.BASE + "/tenants/{slug}/data/{path}";

  private static final RequestParser<DataPath> PATH =
      RequestParser.of("data-path", ctx -> DataPath.of(afterData(ctx.request().path())));

  private final AdminHandlers admin;
  private final DataAccess access;

  public DataRoutes(AdminHandlers admin, DataAccess access) {
    this.admin = admin;
    this.access = access;
  }

  @Override
  public void addTo(Router router) {
    chain(admin.mutation(raw(router.route(DATA).method(HttpMethod.GET)), "data.read"));
    chain(
        admin.mutation(
            raw(
                router
                    .route(DATA)
                    .method(HttpMethod.POST)
                    .method(HttpMethod.PATCH)
                    .method(HttpMethod.DELETE)),
            "data.write"));
  }

  private static Route raw(Route route) {
    return route.useNormalizedPath(false).setName(TEMPLATE);
  }

  private void chain(Route route) {
    route.handler(SLUG).handler(PATH).handler(this::forward);
  }

  /**
   * The raw path after {@code /data/}, empty for {@code /data} or {@code /data/} (which the route
   * matches too); the slug before it has no {@code /}.
   */
  static String afterData(String path) {
    int end = path.indexOf("/data", TENANTS.length()) + "/data".length();
    return end < path.length() ? path.substring(end + 1) : "";
  }

  private void forward(RoutingContext ctx) {
    access
        .forward(
            new DataAccess.Request(
                SLUG.get(ctx),
                ctx.request().method(),
                PATH.get(ctx),
                ctx.request().query(),
                ctx.request().headers(),
                RequestIds.of(ctx),
                ctx.body().buffer()))
        .onSuccess(
            answer ->
                admin
                    .audited(ctx, answer.status())
                    .onSuccess(
                        ignored -> {
                          var response = ctx.response().setStatusCode(answer.status());
                          answer
                              .headers()
                              .forEach(
                                  (name, value) ->
                                      response.putHeader(
                                          name,
                                          name.equalsIgnoreCase("Location")
                                              ? DataPath.location(SLUG.get(ctx), value)
                                              : value));
                          response.end(answer.body());
                        })
                    .onFailure(ctx::fail))
        .onFailure(ctx::fail);
  }
}
