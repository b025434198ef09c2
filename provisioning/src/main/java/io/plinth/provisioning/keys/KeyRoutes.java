package io.plinth.provisioning.keys;

import static io.plinth.provisioning.admin.AdminParams.ID;
import static io.plinth.provisioning.admin.AdminParams.SLUG;

import io.plinth.platform.http.JsonBodies;
import io.plinth.platform.registry.KeyRepository;
import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.plinth.provisioning.admin.RequestParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;

/** {@code /admin/v1/tenants/{slug}/keys}: issue, list, revoke a tenant's API keys. */
public final class KeyRoutes implements AdminApi.Resource {

  private static final String KEYS = AdminApi.BASE + "/tenants/:slug/keys";

  private static final RequestParser<NewKey> NEW_KEY =
      RequestParser.of(
          "new-key",
          ctx -> NewKey.from(JsonBodies.object(ctx, NewKey.FIELDS), OffsetDateTime.now()));

  private final AdminHandlers admin;
  private final TenantKeys keys;

  public KeyRoutes(AdminHandlers admin, TenantKeys keys) {
    this.admin = admin;
    this.keys = keys;
  }

  @Override
  public void addTo(Router router) {
    // The body and the key's id are checked before the slug.
    admin
        .mutation(router.post(KEYS), "key.create")
        .handler(NEW_KEY)
        .handler(SLUG)
        .handler(this::create);
    admin.read(router.get(KEYS)).handler(SLUG).handler(this::list);
    admin
        .mutation(router.delete(KEYS + "/:id"), "key.revoke")
        .handler(ID)
        .handler(SLUG)
        .handler(this::revoke);
  }

  private void create(RoutingContext ctx) {
    admin.reply(
        ctx,
        201,
        keys.create(SLUG.get(ctx), NEW_KEY.get(ctx)).map(KeyRepository.CreatedKey::toJson));
  }

  private void list(RoutingContext ctx) {
    admin.reply(
        ctx,
        200,
        keys.list(SLUG.get(ctx))
            .map(
                list -> {
                  JsonArray items = new JsonArray();
                  list.forEach(k -> items.add(k.toJson()));
                  return new JsonObject().put("items", items);
                }));
  }

  private void revoke(RoutingContext ctx) {
    keys.revoke(SLUG.get(ctx), ID.get(ctx))
        .onSuccess(ignored -> admin.noContent(ctx))
        .onFailure(ctx::fail);
  }
}
