package io.plinth.tenantapi.collections;

import io.plinth.platform.http.JsonBodies;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.plinth.tenantapi.consistency.ConsistencyTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code /v1/collections}: list, create, get, patch, delete. Changing collections needs a secret
 * key.
 */
public final class CollectionRoutes {

  private static final Set<String> CREATE_FIELDS = Set.of("name", "fields", "rules");
  private static final Set<String> PATCH_FIELDS = Set.of("addFields", "addIndexes", "rules");
  private final CollectionStore store;
  private final CollectionInvalidations invalidations;
  private final ConsistencyTokens tokens;

  /**
   * Collection changes carry a consistency token too: a replica that has not replayed a new table
   * or column yet must not serve the records query that follows.
   */
  public CollectionRoutes(
      CollectionStore store, CollectionInvalidations invalidations, ConsistencyTokens tokens) {
    this.store = store;
    this.invalidations = invalidations;
    this.tokens = tokens;
  }

  public void addTo(Router router) {
    router.get("/v1/collections").handler(this::list);
    router.post("/v1/collections").handler(this::create);
    router.get("/v1/collections/:collection").handler(this::get);
    router.patch("/v1/collections/:collection").handler(this::patch);
    router.delete("/v1/collections/:collection").handler(this::delete);
  }

  private void patch(RoutingContext ctx) {
    Caller caller = requireSecret(ctx);
    JsonObject body = JsonBodies.object(ctx, PATCH_FIELDS);
    reply(
        ctx,
        200,
        store
            .patch(caller.schema(), caller.limits(), ctx.pathParam("collection"), body)
            .compose(
                changed ->
                    invalidations
                        .collectionChanged(caller.tenantId(), changed.name())
                        .map(changed.toJson()))
            .compose(json -> tokens.stamp(ctx, json)));
  }

  private void list(RoutingContext ctx) {
    reply(
        ctx,
        200,
        store.list(Caller.of(ctx).schema()).map(items -> new JsonObject().put("items", items)));
  }

  private void create(RoutingContext ctx) {
    Caller caller = requireSecret(ctx);
    CollectionDefinition definition =
        CollectionDefinition.fromJson(JsonBodies.object(ctx, CREATE_FIELDS));
    reply(
        ctx,
        201,
        store
            .create(caller.schema(), caller.limits(), definition)
            .map(CollectionDefinition::toJson)
            .compose(json -> tokens.stamp(ctx, json)));
  }

  private void get(RoutingContext ctx) {
    reply(
        ctx,
        200,
        store
            .get(Caller.of(ctx).schema(), ctx.pathParam("collection"))
            .map(CollectionDefinition::toJson));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = requireSecret(ctx);
    store
        .delete(caller.schema(), ctx.pathParam("collection"))
        .compose(
            ignored ->
                invalidations.collectionChanged(caller.tenantId(), ctx.pathParam("collection")))
        .compose(ignored -> tokens.stamp(ctx, ignored))
        .onSuccess(ignored -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** Collections change only with a secret key (DESIGN: server-side keys). */
  static Caller requireSecret(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (!caller.isSecret()) {
      throw new ProblemException(403, "secret_key_required", "this needs a secret key");
    }
    return caller;
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result
        .onSuccess(
            json ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(json.encode()))
        .onFailure(ctx::fail);
  }
}
