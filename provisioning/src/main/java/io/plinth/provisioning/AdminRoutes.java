package io.plinth.provisioning;

import io.plinth.platform.health.ReadinessCheck;
import io.plinth.platform.http.JsonBodies;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.KeyRepository;
import io.plinth.platform.registry.Plan;
import io.plinth.platform.registry.Tenant;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.platform.registry.TenantStatus;
import io.plinth.platform.server.PlinthService;
import io.plinth.provisioning.audit.AuditLog;
import io.plinth.provisioning.migrations.FleetMigrations;
import io.plinth.provisioning.operators.OperatorAuth;
import io.plinth.provisioning.tenants.NewTenant;
import io.plinth.provisioning.tenants.TenantLifecycle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The admin API, {@code /admin/v1}. Handlers only read the request, call one operation and write
 * its result; failures go to the node's failure handler as problems.
 */
final class AdminRoutes implements PlinthService.Routes {

  private static final String BASE = "/admin/v1";
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 1000;
  private static final int MAX_IDEMPOTENCY_KEY = 200;
  private static final Set<String> KEY_FIELDS = Set.of("kind", "name", "expiresAt");

  private final OperatorAuth auth;
  private final AuditLog audit;
  private final TenantLifecycle lifecycle;
  private final TenantRepository tenants;
  private final KeyRepository keys;
  private final FleetMigrations migrations;
  private final List<ReadinessCheck> readinessChecks;

  AdminRoutes(
      OperatorAuth auth,
      AuditLog audit,
      TenantLifecycle lifecycle,
      TenantRepository tenants,
      KeyRepository keys,
      FleetMigrations migrations,
      List<ReadinessCheck> readinessChecks) {
    this.auth = auth;
    this.audit = audit;
    this.lifecycle = lifecycle;
    this.tenants = tenants;
    this.keys = keys;
    this.migrations = migrations;
    this.readinessChecks = List.copyOf(readinessChecks);
  }

  @Override
  public List<ReadinessCheck> readinessChecks() {
    return readinessChecks;
  }

  @Override
  public void addTo(Router router) {
    // The recorder first, then the action's name, then authentication: refused attempts are
    // audited under the action they tried.
    router.route(BASE + "/*").handler(audit.recorder());
    router.post(BASE + "/tenants").handler(action("tenant.create", this::createTenant));
    router.get(BASE + "/tenants").handler(auth).handler(this::listTenants);
    router.get(BASE + "/tenants/:slug").handler(auth).handler(this::getTenant);
    router
        .postWithRegex(BASE + "/tenants/(?<slug>[^/:]+):suspend")
        .handler(
            action(
                "tenant.suspend",
                ctx -> respond(ctx, 200, lifecycle.suspend(slug(ctx)).map(Tenant::toJson))));
    router
        .postWithRegex(BASE + "/tenants/(?<slug>[^/:]+):resume")
        .handler(
            action(
                "tenant.resume",
                ctx -> respond(ctx, 200, lifecycle.resume(slug(ctx)).map(Tenant::toJson))));
    router.patch(BASE + "/tenants/:slug").handler(action("tenant.update", this::updateTenant));
    router.delete(BASE + "/tenants/:slug").handler(action("tenant.delete", this::deleteTenant));
    router.post(BASE + "/tenants/:slug/keys").handler(action("key.create", this::createKey));
    router.get(BASE + "/tenants/:slug/keys").handler(auth).handler(this::listKeys);
    router.delete(BASE + "/tenants/:slug/keys/:id").handler(action("key.revoke", this::revokeKey));
    router.get(BASE + "/audit").handler(auth).handler(this::audit);
    router.post(BASE + "/migrations").handler(action("migration.start", this::startMigration));
    router.get(BASE + "/migrations/:id").handler(auth).handler(this::migration);
  }

  /** A mutation: names the action for the audit log, authenticates, then runs the handler. */
  private io.vertx.core.Handler<RoutingContext> action(
      String name, io.vertx.core.Handler<RoutingContext> handler) {
    return ctx -> {
      ctx.put(AuditLog.ACTION, name);
      auth.authenticate(ctx)
          .onComplete(
              authenticated -> {
                if (authenticated.failed()) {
                  ctx.fail(authenticated.cause());
                  return;
                }
                try {
                  handler.handle(ctx);
                } catch (RuntimeException e) {
                  // Thrown outside the router's own call: hand it to the failure handler.
                  ctx.fail(e);
                }
              });
    };
  }

  private void createTenant(RoutingContext ctx) {
    NewTenant request = NewTenant.from(JsonBodies.object(ctx, NewTenant.FIELDS));
    ctx.put(AuditLog.TENANT, request.slug());
    Optional<TenantLifecycle.IdempotencyKey> idempotency = idempotencyKey(ctx);
    lifecycle
        .create(request, idempotency)
        .onSuccess(
            created -> {
              Tenant tenant = created.outcome().tenant();
              if (tenant.status() == TenantStatus.FAILED && !created.replayed()) {
                ctx.fail(
                    new ProblemException(
                        new Problem(500, "provisioning_failed", tenant.failure())
                            .with("tenant", tenant.slug())));
                return;
              }
              JsonArray createdKeys = new JsonArray();
              created.outcome().keys().forEach(k -> createdKeys.add(k.toJson()));
              ctx.response().putHeader("Location", BASE + "/tenants/" + tenant.slug());
              if (created.replayed()) {
                ctx.response().putHeader("Idempotent-Replayed", "true");
              }
              send(
                  ctx,
                  tenant.status() == TenantStatus.PROVISIONING ? 202 : 201,
                  tenant.toJson().put("keys", createdKeys));
            })
        .onFailure(ctx::fail);
  }

  private static Optional<TenantLifecycle.IdempotencyKey> idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null) {
      return Optional.empty();
    }
    if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
      throw new ProblemException(
          new Problem(400, "validation_failed", "bad Idempotency-Key header")
              .withErrors(
                  List.of(
                      new Problem.FieldError(
                          "Idempotency-Key", "1 to " + MAX_IDEMPOTENCY_KEY + " characters"))));
    }
    return Optional.of(
        new TenantLifecycle.IdempotencyKey(
            ctx.get(OperatorAuth.ACTOR), key, ApiKeys.sha256(ctx.body().asString())));
  }

  private void listTenants(RoutingContext ctx) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<TenantStatus> status =
        Optional.ofNullable(ctx.queryParams().get("status"))
            .map(
                s -> {
                  Optional<TenantStatus> parsed = TenantStatus.ofWire(s);
                  if (parsed.isEmpty()) {
                    errors.add(new Problem.FieldError("status", "not a tenant status"));
                  }
                  return parsed.orElse(null);
                });
    Optional<UUID> after = uuidParam(ctx, "after", errors);
    int limit = limit(ctx, errors);
    failIfAny(errors);
    respond(
        ctx,
        200,
        tenants
            .page(status, after, limit + 1)
            .map(
                page -> {
                  JsonArray items = new JsonArray();
                  page.stream().limit(limit).forEach(t -> items.add(t.toJson()));
                  String next = page.size() > limit ? page.get(limit - 1).id().toString() : null;
                  return new JsonObject().put("items", items).put("next", next);
                }));
  }

  private void getTenant(RoutingContext ctx) {
    respond(ctx, 200, lifecycle.get(slug(ctx)).compose(this::withUsage));
  }

  /** Usage is measured for tenants whose schema is complete; others are being made or removed. */
  private Future<JsonObject> withUsage(Tenant t) {
    if (t.status() != TenantStatus.ACTIVE && t.status() != TenantStatus.SUSPENDED) {
      return Future.succeededFuture(t.toJson());
    }
    return tenants.usage(t.schema()).map(usage -> t.toJson().put("usage", usage.toJson()));
  }

  /**
   * {@code {plan?, limits?}}: another plan (its limits replace the tenant's), and/or some limits of
   * the tenant's own, applied on top.
   */
  private void updateTenant(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx, Set.of("plan", "limits"));
    Object planValue = body.getValue("plan");
    Object limitsValue = body.getValue("limits");
    Optional<Plan> plan = planValue instanceof String name ? Plan.named(name) : Optional.empty();
    List<Problem.FieldError> errors = new ArrayList<>();
    if (planValue == null && limitsValue == null) {
      errors.add(new Problem.FieldError("plan", "a plan or limits to change"));
    }
    if (planValue != null && plan.isEmpty()) {
      errors.add(new Problem.FieldError("plan", "one of " + String.join(", ", Plan.names())));
    }
    if (limitsValue != null && !(limitsValue instanceof JsonObject)) {
      errors.add(new Problem.FieldError("limits", "an object of limits by name"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          new Problem(400, "validation_failed", "the change is not valid").withErrors(errors));
    }
    JsonObject limits = (JsonObject) limitsValue;
    // Validated before anything is read or written, so a bad limit changes nothing.
    if (limits != null) {
      Plan.checkLimits(limits);
    }
    UnaryOperator<Plan> change =
        current -> {
          Plan terms = plan.orElse(current);
          return limits == null ? terms : terms.withLimits(limits);
        };
    respond(ctx, 200, lifecycle.changePlan(slug(ctx), change).map(Tenant::toJson));
  }

  private void deleteTenant(RoutingContext ctx) {
    lifecycle
        .delete(slug(ctx))
        .onSuccess(
            t -> {
              ctx.response().putHeader("Location", BASE + "/tenants/" + t.slug());
              send(ctx, 202, t.toJson());
            })
        .onFailure(ctx::fail);
  }

  private void createKey(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx, KEY_FIELDS);
    List<Problem.FieldError> errors = new ArrayList<>();
    Object kindValue = body.getValue("kind");
    Optional<KeyKind> kind =
        kindValue instanceof String s
            ? KeyKind.ofApiName(s).filter(k -> k != KeyKind.OPERATOR)
            : Optional.empty();
    if (kind.isEmpty()) {
      errors.add(new Problem.FieldError("kind", "publishable or secret"));
    }
    Object nameValue = body.getValue("name");
    if (!(nameValue instanceof String name) || name.isBlank() || name.length() > 200) {
      errors.add(new Problem.FieldError("name", "1 to 200 characters"));
    }
    OffsetDateTime expiresAt = null;
    if (body.getValue("expiresAt") != null) {
      try {
        expiresAt = OffsetDateTime.parse(String.valueOf(body.getValue("expiresAt")));
        if (!expiresAt.isAfter(OffsetDateTime.now())) {
          errors.add(new Problem.FieldError("expiresAt", "must be in the future"));
        }
      } catch (DateTimeParseException e) {
        errors.add(new Problem.FieldError("expiresAt", "an RFC 3339 timestamp with offset"));
      }
    }
    failIfAny(errors);
    OffsetDateTime expiry = expiresAt;
    respond(
        ctx,
        201,
        lifecycle
            .get(slug(ctx))
            .compose(t -> liveForKeys(t))
            .compose(
                t ->
                    keys.create(
                        keys.pool(), t.id(), kind.get(), ((String) nameValue).strip(), expiry))
            .map(KeyRepository.CreatedKey::toJson));
  }

  private static Future<Tenant> liveForKeys(Tenant t) {
    return t.status() == TenantStatus.ACTIVE || t.status() == TenantStatus.SUSPENDED
        ? Future.succeededFuture(t)
        : Future.failedFuture(
            new ProblemException(
                409, "invalid_status", "tenant '" + t.slug() + "' is " + t.status().wire()));
  }

  private void listKeys(RoutingContext ctx) {
    respond(
        ctx,
        200,
        lifecycle
            .get(slug(ctx))
            .compose(t -> keys.list(t.id()))
            .map(
                list -> {
                  JsonArray items = new JsonArray();
                  list.forEach(k -> items.add(k.toJson()));
                  return new JsonObject().put("items", items);
                }));
  }

  private void revokeKey(RoutingContext ctx) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<UUID> id = uuid(ctx.pathParam("id"), "id", errors);
    failIfAny(errors);
    lifecycle
        .get(slug(ctx))
        .compose(t -> keys.revoke(t.id(), id.get()))
        .onSuccess(
            revoked -> {
              if (revoked.isEmpty()) {
                ctx.fail(new ProblemException(404, "key_not_found", "no key " + id.get()));
              } else {
                send(ctx, 204, null);
              }
            })
        .onFailure(ctx::fail);
  }

  private void audit(RoutingContext ctx) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<UUID> after = uuidParam(ctx, "after", errors);
    int limit = limit(ctx, errors);
    failIfAny(errors);
    respond(
        ctx, 200, audit.page(Optional.ofNullable(ctx.queryParams().get("tenant")), after, limit));
  }

  private void startMigration(RoutingContext ctx) {
    migrations
        .start()
        .onSuccess(
            run -> {
              ctx.response().putHeader("Location", BASE + "/migrations/" + run);
              send(ctx, 202, new JsonObject().put("id", run.toString()).put("status", "running"));
            })
        .onFailure(ctx::fail);
  }

  private void migration(RoutingContext ctx) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<UUID> id = uuid(ctx.pathParam("id"), "id", errors);
    failIfAny(errors);
    respond(ctx, 200, migrations.progress(id.get()));
  }

  private static String slug(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (!NewTenant.SLUG.matcher(slug).matches()) {
      throw new ProblemException(404, "tenant_not_found", "no tenant '" + slug + "'");
    }
    return slug;
  }

  private static int limit(RoutingContext ctx, List<Problem.FieldError> errors) {
    String text = ctx.queryParams().get("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new Problem.FieldError("limit", "a whole number from 1 to " + MAX_LIMIT));
    return DEFAULT_LIMIT;
  }

  private static Optional<UUID> uuidParam(
      RoutingContext ctx, String name, List<Problem.FieldError> errors) {
    String text = ctx.queryParams().get(name);
    return text == null ? Optional.empty() : uuid(text, name, errors);
  }

  private static Optional<UUID> uuid(String text, String field, List<Problem.FieldError> errors) {
    try {
      return Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      errors.add(new Problem.FieldError(field, "not a valid id"));
      return Optional.empty();
    }
  }

  private static void failIfAny(List<Problem.FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ProblemException(
          new Problem(400, "validation_failed", "the request is not valid").withErrors(errors));
    }
  }

  private void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(json -> send(ctx, status, json)).onFailure(ctx::fail);
  }

  /** Sends a success; a mutation's audit event is stored first. */
  private void send(RoutingContext ctx, int status, JsonObject body) {
    audit
        .beforeResponse(ctx, status)
        .onComplete(
            recorded -> {
              if (recorded.failed()) {
                // The change is made but could not be audited: say so rather than hide it.
                ctx.fail(recorded.cause());
                return;
              }
              ctx.response().setStatusCode(status);
              if (body == null) {
                ctx.response().end();
              } else {
                ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
              }
            });
  }
}
