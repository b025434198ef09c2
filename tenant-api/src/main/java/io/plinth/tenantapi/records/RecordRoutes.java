package io.plinth.tenantapi.records;

import io.plinth.platform.http.JsonBodies;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.auth.Caller;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.CollectionStore;
import io.plinth.tenantapi.consistency.ConsistencyTokens;
import io.plinth.tenantapi.query.QueryParser;
import io.plinth.tenantapi.quotas.StorageQuota;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /v1/collections/{c}/records}: insert one or a batch (all or nothing), get with {@code
 * ETag}/{@code If-None-Match}, patch with {@code If-Match}, delete.
 */
public final class RecordRoutes {

  private static final String BASE = "/v1/collections/:collection/records";

  /**
   * The reason of a {@code record_not_found} for an end user limited to their own records (for
   * metrics): the record may exist and be someone else's, which the client must not learn, but a
   * burst of these is someone trying ids.
   */
  public static final String OWNER_SCOPED = "owner_scoped";

  private final CollectionStore collections;
  private final RecordStore records;
  private final RecordCache cache;
  private final StorageQuota storageQuota;
  private final ConsistencyTokens tokens;

  public RecordRoutes(
      CollectionStore collections,
      RecordStore records,
      RecordCache cache,
      StorageQuota storageQuota,
      ConsistencyTokens tokens) {
    this.collections = collections;
    this.records = records;
    this.cache = cache;
    this.storageQuota = storageQuota;
    this.tokens = tokens;
  }

  public void addTo(Router router) {
    router.post(BASE).handler(this::insert);
    router.get(BASE).handler(this::query);
    router.get(BASE + "/:id").handler(this::get);
    router.patch(BASE + "/:id").handler(this::patch);
    router.delete(BASE + "/:id").handler(this::delete);
  }

  private void insert(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Object body = JsonBodies.value(ctx);
    // A malformed key is refused before anything else is looked at.
    Optional<IdempotencyKeys.Key> key =
        IdempotencyKeys.of(
            ctx.request().getHeader("Idempotency-Key"),
            ctx.pathParam("collection"),
            caller.ownerOfNewRecords(),
            body);
    collection(ctx)
        .compose(
            c -> {
              Access.check(c.rules().write(), caller);
              List<Map<String, Object>> values = RecordInput.forInsert(c, body);
              return storageQuota
                  .checkWrite(caller)
                  .compose(
                      allowed ->
                          key.isEmpty()
                              ? records
                                  .insert(
                                      caller.schema(),
                                      c,
                                      caller.ownerOfNewRecords(),
                                      values,
                                      caller.limits().maxRows())
                                  .map(stored -> new RecordStore.Inserted(stored, false))
                              : records.insert(
                                  caller.schema(),
                                  c,
                                  caller.ownerOfNewRecords(),
                                  values,
                                  caller.limits().maxRows(),
                                  key.get()));
            })
        .compose(inserted -> tokens.stamp(ctx, inserted))
        .onSuccess(
            inserted -> {
              if (inserted.replayed()) {
                ctx.response().putHeader("Idempotent-Replayed", "true");
              }
              inserted(ctx, body instanceof JsonObject, inserted.records());
            })
        .onFailure(ctx::fail);
  }

  /** 201: one record with its {@code ETag} and {@code Location}, or the batch as an array. */
  private static void inserted(RoutingContext ctx, boolean one, List<JsonObject> stored) {
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json");
    if (one) {
      ctx.response()
          .putHeader("ETag", etag(stored.get(0)))
          .putHeader("Location", ctx.request().path() + "/" + stored.get(0).getString("id"))
          .end(stored.get(0).encode());
    } else {
      ctx.response().end(new JsonArray(new ArrayList<>(stored)).encode());
    }
  }

  private void query(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Map<String, List<String>> params = new java.util.LinkedHashMap<>();
    ctx.queryParams().names().forEach(name -> params.put(name, ctx.queryParams().getAll(name)));
    collection(ctx)
        .compose(
            c -> {
              Optional<String> owner = Access.check(c.rules().read(), caller);
              return records.query(
                  caller.schema(),
                  c,
                  QueryParser.parse(c, params),
                  owner,
                  ConsistencyTokens.of(ctx));
            })
        .onSuccess(
            page -> ctx.response().putHeader("Content-Type", "application/json").end(page.encode()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    UUID id = id(ctx);
    collection(ctx)
        .compose(
            c -> {
              Optional<String> owner = Access.check(c.rules().read(), caller);
              return cache
                  .get(caller.tenantId(), caller.schema(), c, id, owner, ConsistencyTokens.of(ctx))
                  .map(found -> found.orElseThrow(() -> notFound(ctx, owner)));
            })
        .onSuccess(
            record -> {
              ctx.response().putHeader("ETag", etag(record));
              if (Preconditions.noneMatchHits(
                  ctx.request().getHeader("If-None-Match"), record.getLong("version"))) {
                ctx.response().setStatusCode(304).end();
              } else {
                ctx.response().putHeader("Content-Type", "application/json").end(record.encode());
              }
            })
        .onFailure(ctx::fail);
  }

  private void patch(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    UUID id = id(ctx);
    Object body = JsonBodies.value(ctx);
    if (!(body instanceof JsonObject changes)) {
      throw new ProblemException(400, "invalid_body", "send the fields to change as a JSON object");
    }
    Optional<List<Long>> expected =
        Preconditions.ifMatchVersions(ctx.request().getHeader("If-Match"));
    collection(ctx)
        .compose(
            c -> {
              // Who may write comes before what is written: a caller without the right learns
              // nothing about the collection's fields.
              Optional<String> owner = Access.check(c.rules().write(), caller);
              Map<String, Object> values = RecordInput.forPatch(c, changes);
              return storageQuota
                  .checkWrite(caller)
                  .compose(
                      allowed -> records.patch(caller.schema(), c, id, values, expected, owner))
                  .compose(
                      patched ->
                          patched.isEmpty()
                              ? Future.succeededFuture(patched)
                              : cache.written(caller.tenantId(), c, id).map(patched))
                  .map(patched -> patched.orElseThrow(() -> notFound(ctx, owner)));
            })
        .compose(record -> tokens.stamp(ctx, record))
        .onSuccess(
            record ->
                ctx.response()
                    .putHeader("ETag", etag(record))
                    .putHeader("Content-Type", "application/json")
                    .end(record.encode()))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    UUID id = id(ctx);
    collection(ctx)
        .compose(
            c -> {
              Optional<String> owner = Access.check(c.rules().write(), caller);
              return records
                  .delete(caller.schema(), c, id, owner)
                  .compose(
                      deleted ->
                          deleted
                              ? cache.written(caller.tenantId(), c, id)
                              : Future.failedFuture(notFound(ctx, owner)));
            })
        .compose(ignored -> tokens.stamp(ctx, ignored))
        .onSuccess(ignored -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private io.vertx.core.Future<CollectionDefinition> collection(RoutingContext ctx) {
    return collections.get(Caller.of(ctx).schema(), ctx.pathParam("collection"));
  }

  static String etag(JsonObject record) {
    return Preconditions.etag(record.getLong("version"));
  }

  private static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw notFound(ctx);
    }
  }

  private static ProblemException notFound(RoutingContext ctx) {
    return notFound(ctx, Optional.empty());
  }

  private static ProblemException notFound(RoutingContext ctx, Optional<String> owner) {
    return new ProblemException(
        new Problem(
            404,
            "record_not_found",
            "record "
                + ctx.pathParam("id")
                + " not found in collection '"
                + ctx.pathParam("collection")
                + "'"),
        owner.isPresent() ? OWNER_SCOPED : null);
  }
}
