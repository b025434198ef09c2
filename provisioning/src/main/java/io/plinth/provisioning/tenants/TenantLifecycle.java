package io.plinth.provisioning.tenants;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.http.ProblemException;
import io.plinth.platform.ids.Uuids;
import io.plinth.platform.registry.IdempotentRequests;
import io.plinth.platform.registry.Plan;
import io.plinth.platform.registry.Tenant;
import io.plinth.platform.registry.TenantIdentity;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.platform.registry.TenantStatus;
import io.plinth.provisioning.identity.TenantIdentities;
import io.plinth.provisioning.workflow.ProvisioningWorkflow;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Tenant lifecycle as operators use it: create (with optional idempotency key), get, suspend,
 * resume, delete. Failures come back as {@link ProblemException} with the status the client gets.
 */
public final class TenantLifecycle {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(TenantLifecycle.class);

  private final Pool pool;
  private final TenantRepository tenants;
  private final ProvisioningWorkflow workflow;
  private final TenantIdentities identities;
  private final IdempotentRequests idempotentRequests;

  public TenantLifecycle(
      Pool pool,
      TenantRepository tenants,
      ProvisioningWorkflow workflow,
      TenantIdentities identities) {
    this.pool = pool;
    this.tenants = tenants;
    this.workflow = workflow;
    this.identities = identities;
    // Keys are recorded in the transaction that inserts the tenant, so over the same pool.
    this.idempotentRequests = new IdempotentRequests(pool);
  }

  /** A create's result; {@code replayed} when an idempotency key matched an earlier request. */
  public record Created(ProvisioningWorkflow.Outcome outcome, boolean replayed) {}

  /** An idempotency key as sent by a client, with the actor it belongs to. */
  public record IdempotencyKey(String actor, String key, byte[] requestHash) {}

  /**
   * Creates a tenant and provisions it. With an idempotency key, a retry of the same request
   * returns the tenant the first one made (without the keys' plaintext, which is never stored); the
   * same key with another request is refused with 422. The identity asked for is checked first (an
   * external issuer's discovery document is fetched): when it is not valid nothing is made.
   */
  public Future<Created> create(NewTenant request, Optional<IdempotencyKey> idempotency) {
    return identities
        .choose(request.identity())
        .compose(identity -> create(request, identity, idempotency));
  }

  private Future<Created> create(
      NewTenant request, TenantIdentity identity, Optional<IdempotencyKey> idempotency) {
    UUID id = Uuids.timeOrdered();
    Future<Tenant> inserted =
        pool.withTransaction(
            tx ->
                tenants
                    .insert(tx, id, request.slug(), request.name(), request.plan(), identity)
                    .compose(
                        tenant ->
                            idempotency.isEmpty()
                                ? Future.succeededFuture(tenant)
                                : idempotentRequests
                                    .record(
                                        tx,
                                        idempotency.get().actor(),
                                        idempotency.get().key(),
                                        idempotency.get().requestHash(),
                                        id)
                                    .map(tenant)));
    return inserted
        .compose(tenant -> workflow.provision(tenant).map(outcome -> new Created(outcome, false)))
        .recover(
            failure -> {
              if (idempotency.isPresent() && isConflict(failure)) {
                return replay(idempotency.get());
              }
              return Future.failedFuture(failure);
            });
  }

  /** The slug is taken, or the key was used: by this request's first try, or another request. */
  private static boolean isConflict(Throwable failure) {
    return failure instanceof ProblemException pe && pe.problem().status() == 409;
  }

  /** The earlier request with this key: its tenant now, or 422 when the requests differ. */
  private Future<Created> replay(IdempotencyKey key) {
    return idempotentRequests
        .find(key.actor(), key.key())
        .compose(
            found -> {
              if (found.isEmpty()) {
                // The slug was taken by a request without this key.
                return Future.failedFuture(
                    new ProblemException(409, "tenant_exists", "a tenant with this slug exists"));
              }
              if (!Arrays.equals(found.get().requestHash(), key.requestHash())) {
                return Future.failedFuture(
                    new ProblemException(
                        422,
                        "idempotency_key_reused",
                        "this Idempotency-Key was used for a different request"));
              }
              return tenants
                  .findById(found.get().tenantId())
                  .map(
                      t ->
                          new Created(
                              new ProvisioningWorkflow.Outcome(t.orElseThrow(), List.of()), true));
            });
  }

  /** The live tenant with this slug, or 404. */
  public Future<Tenant> get(String slug) {
    return tenants
        .findLive(slug)
        .compose(
            found ->
                found
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                new ProblemException(
                                    404, "tenant_not_found", "no tenant '" + slug + "'"))));
  }

  /**
   * The live tenant with this slug as operators see it, or 404: with its {@code usage} when its
   * schema is complete (active or suspended); the others' are being made or removed.
   */
  public Future<JsonObject> describe(String slug) {
    return get(slug)
        .compose(
            tenant ->
                tenant.status() == TenantStatus.ACTIVE || tenant.status() == TenantStatus.SUSPENDED
                    ? tenants
                        .usage(tenant.schema())
                        .map(usage -> tenant.toJson().put("usage", usage.toJson()))
                    : Future.succeededFuture(tenant.toJson()));
  }

  public Future<Tenant> suspend(String slug) {
    return move(slug, List.of(TenantStatus.ACTIVE, TenantStatus.SUSPENDED), TenantStatus.SUSPENDED);
  }

  public Future<Tenant> resume(String slug) {
    return move(slug, List.of(TenantStatus.SUSPENDED, TenantStatus.ACTIVE), TenantStatus.ACTIVE);
  }

  /**
   * Moves the tenant to another plan or changes its limits ({@code change} makes the new terms from
   * the current ones); the new limits hold on every node within a moment.
   */
  public Future<Tenant> changePlan(String slug, UnaryOperator<Plan> change) {
    return get(slug)
        .compose(tenant -> tenants.changePlan(tenant.id(), change.apply(tenant.plan())))
        .map(
            changed ->
                changed.orElseThrow(
                    () ->
                        new ProblemException(404, "tenant_not_found", "no tenant '" + slug + "'")));
  }

  /** Marks the tenant {@code deleting} and removes it in the background; 409 while provisioning. */
  public Future<Tenant> delete(String slug) {
    return move(
            slug,
            List.of(
                TenantStatus.ACTIVE,
                TenantStatus.SUSPENDED,
                TenantStatus.FAILED,
                TenantStatus.DELETING),
            TenantStatus.DELETING)
        .onSuccess(
            deleting ->
                workflow
                    .delete(deleting)
                    .onFailure(
                        e ->
                            LOG.warn(
                                "deletion did not finish; it resumes on the next start {} {}",
                                kv("tenant", slug),
                                kv("reason", e.getMessage()))));
  }

  private Future<Tenant> move(String slug, List<TenantStatus> from, TenantStatus to) {
    return get(slug)
        .compose(
            tenant ->
                tenants
                    .transition(tenant.id(), from, to, null)
                    .compose(
                        moved ->
                            moved
                                .map(Future::succeededFuture)
                                .orElseGet(
                                    () ->
                                        Future.failedFuture(
                                            new ProblemException(
                                                409,
                                                "invalid_status",
                                                "tenant '"
                                                    + slug
                                                    + "' is "
                                                    + tenant.status().wire()
                                                    + " and cannot become "
                                                    + to.wire())))));
  }
}
