package io.plinth.provisioning.tenants;

import static io.plinth.provisioning.admin.AdminParams.SLUG;

import io.plinth.platform.http.JsonBodies;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.Tenant;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.platform.registry.TenantStatus;
import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.plinth.provisioning.admin.Paging;
import io.plinth.provisioning.admin.RequestParser;
import io.plinth.provisioning.audit.AuditLog;
import io.plinth.provisioning.operators.OperatorAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /admin/v1/tenants}: create, list, get, suspend, resume, update (plan and limits), delete.
 */
public final class TenantRoutes implements AdminApi.Resource {

  private static final String TENANTS = AdminApi.BASE + "/tenants";
  private static final String TENANT = TENANTS + "/:slug";

  private static final RequestParser<TenantCreation> CREATION =
      RequestParser.of("tenant-creation", TenantRoutes::creation);
  private static final RequestParser<TenantListing> LISTING =
      RequestParser.of("tenant-listing", ctx -> TenantListing.from(ctx.queryParams()));
  private static final RequestParser<TenantUpdate> UPDATE =
      RequestParser.of(
          "tenant-update", ctx -> TenantUpdate.from(JsonBodies.object(ctx, TenantUpdate.FIELDS)));

  private final AdminHandlers admin;
  private final TenantLifecycle lifecycle;
  private final TenantRepository tenants;

  public TenantRoutes(AdminHandlers admin, TenantLifecycle lifecycle, TenantRepository tenants) {
    this.admin = admin;
    this.lifecycle = lifecycle;
    this.tenants = tenants;
  }

  @Override
  public void addTo(Router router) {
    // A regular-expression route is named by its OpenAPI path (the contract test reads it).
    admin.mutation(router.post(TENANTS), "tenant.create").handler(CREATION).handler(this::create);
    admin.read(router.get(TENANTS)).handler(LISTING).handler(this::list);
    admin.read(router.get(TENANT)).handler(SLUG).handler(this::get);
    admin
        .mutation(
            router
                .postWithRegex(TENANTS + "/(?<slug>[^/:]+):suspend")
                .setName(TENANTS + "/{slug}:suspend"),
            "tenant.suspend")
        .handler(SLUG)
        .handler(this::suspend);
    admin
        .mutation(
            router
                .postWithRegex(TENANTS + "/(?<slug>[^/:]+):resume")
                .setName(TENANTS + "/{slug}:resume"),
            "tenant.resume")
        .handler(SLUG)
        .handler(this::resume);
    // The change is checked before the slug, as every body is.
    admin
        .mutation(router.patch(TENANT), "tenant.update")
        .handler(UPDATE)
        .handler(SLUG)
        .handler(this::update);
    admin.mutation(router.delete(TENANT), "tenant.delete").handler(SLUG).handler(this::delete);
  }

  /** The tenant, then the idempotency key (it needs the actor, so it follows authentication). */
  private static TenantCreation creation(RoutingContext ctx) {
    NewTenant tenant = NewTenant.from(JsonBodies.object(ctx, NewTenant.FIELDS));
    ctx.put(AuditLog.TENANT, tenant.slug()); // the path names no tenant yet
    return new TenantCreation(
        tenant,
        TenantCreation.idempotencyKey(
            ctx.request().getHeader("Idempotency-Key"),
            ctx.get(OperatorAuth.ACTOR),
            ctx.body().asString()));
  }

  private void create(RoutingContext ctx) {
    TenantCreation request = CREATION.get(ctx);
    lifecycle
        .create(request.tenant(), request.idempotency())
        .onSuccess(created -> created(ctx, created))
        .onFailure(ctx::fail);
  }

  /**
   * 201 with the tenant and its keys; 202 while it waits for Keycloak. A provisioning that failed
   * is a 500 (a replay shows the failed tenant as it is).
   */
  private void created(RoutingContext ctx, TenantLifecycle.Created created) {
    Tenant tenant = created.outcome().tenant();
    if (tenant.status() == TenantStatus.FAILED && !created.replayed()) {
      ctx.fail(
          new ProblemException(
              new Problem(500, "provisioning_failed", tenant.failure())
                  .with("tenant", tenant.slug())));
      return;
    }
    JsonArray keys = new JsonArray();
    created.outcome().keys().forEach(k -> keys.add(k.toJson()));
    ctx.response().putHeader("Location", TENANTS + "/" + tenant.slug());
    if (created.replayed()) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    int status = tenant.status() == TenantStatus.PROVISIONING ? 202 : 201;
    admin.send(ctx, status, tenant.toJson().put("keys", keys));
  }

  private void list(RoutingContext ctx) {
    TenantListing listing = LISTING.get(ctx);
    Paging paging = listing.paging();
    admin.reply(
        ctx,
        200,
        tenants
            .page(listing.status(), listing.search(), paging.after(), paging.fetch())
            .map(page -> paging.page(page, Tenant::toJson, Tenant::id)));
  }

  private void get(RoutingContext ctx) {
    admin.reply(ctx, 200, lifecycle.describe(SLUG.get(ctx)));
  }

  private void suspend(RoutingContext ctx) {
    admin.reply(ctx, 200, lifecycle.suspend(SLUG.get(ctx)).map(Tenant::toJson));
  }

  private void resume(RoutingContext ctx) {
    admin.reply(ctx, 200, lifecycle.resume(SLUG.get(ctx)).map(Tenant::toJson));
  }

  private void update(RoutingContext ctx) {
    TenantUpdate update = UPDATE.get(ctx);
    admin.reply(ctx, 200, lifecycle.changePlan(SLUG.get(ctx), update::applyTo).map(Tenant::toJson));
  }

  private void delete(RoutingContext ctx) {
    lifecycle
        .delete(SLUG.get(ctx))
        .onSuccess(
            tenant -> {
              ctx.response().putHeader("Location", TENANTS + "/" + tenant.slug());
              admin.send(ctx, 202, tenant.toJson());
            })
        .onFailure(ctx::fail);
  }
}
