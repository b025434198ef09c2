package io.plinth.provisioning.workflow;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.KeyRepository;
import io.plinth.platform.registry.KeyRepository.CreatedKey;
import io.plinth.platform.registry.ProvisioningSteps;
import io.plinth.platform.registry.Tenant;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.platform.registry.TenantStatus;
import io.plinth.provisioning.identity.Backoff;
import io.plinth.provisioning.identity.IdentityUnavailable;
import io.plinth.provisioning.identity.TenantIdentities;
import io.plinth.provisioning.tenants.TenantSchemas;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and removes tenants as a recorded workflow. Each step is marked {@code started} before and
 * {@code done} after it runs, and is safe to run again, so after a crash the tenant is resumed from
 * the first step not done. A step that fails rolls every step back (realm or organization removed,
 * schema dropped, keys deleted) and leaves the tenant {@code failed}. While a node works on a
 * tenant it holds that tenant's advisory lock on a connection of its own: if the node dies the lock
 * goes with the connection, and no two nodes ever work on one tenant.
 *
 * <p>Keycloak being unreachable ({@link IdentityUnavailable}) is not a failure: the attempt stops,
 * the lock is let go, the tenant stays {@code provisioning} (or {@code deleting}), and the same
 * node tries again after a backoff (1 s doubling up to {@code plinth.identity.retry-max-delay})
 * until Keycloak answers. A create that has to wait answers at once with the tenant as it is and
 * the keys made so far. The steps are recorded through {@link ProvisioningSteps}.
 */
public final class ProvisioningWorkflow {

  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningWorkflow.class);
  static final String PUBLISHABLE_KEY_NAME = "default publishable";
  static final String SECRET_KEY_NAME = "default secret";

  private final Pool pool;
  private final ProvisioningSteps<Step> steps;
  private final TenantRepository tenants;
  private final TenantSchemas schemas;
  private final KeyRepository keys;
  private final TenantIdentities identities;
  private final Vertx vertx;
  private final Duration retryMaxDelay;
  private final StepObserver observer;

  public ProvisioningWorkflow(
      Vertx vertx,
      Pool pool,
      ProvisioningSteps<Step> steps,
      TenantRepository tenants,
      TenantSchemas schemas,
      KeyRepository keys,
      TenantIdentities identities,
      Duration retryMaxDelay,
      StepObserver observer) {
    this.vertx = vertx;
    this.pool = pool;
    this.steps = steps;
    this.tenants = tenants;
    this.schemas = schemas;
    this.keys = keys;
    this.identities = identities;
    this.retryMaxDelay = retryMaxDelay;
    this.observer = observer;
  }

  /** The outcome: the tenant as it ended, and the keys made now (their only showing). */
  public record Outcome(Tenant tenant, List<CreatedKey> keys) {}

  /**
   * Runs the steps not yet done and activates the tenant. A failed step rolls everything back and
   * the tenant ends {@code failed}; the returned future still succeeds, with that tenant. While
   * Keycloak is unreachable it succeeds early with the tenant still {@code provisioning} and the
   * keys made so far, and the workflow goes on in the background until the tenant is done.
   */
  public Future<Outcome> provision(Tenant tenant) {
    Promise<Outcome> answer = Promise.promise();
    // Shared by the attempts: only the first makes keys (a later one finds the step done).
    List<CreatedKey> made = new CopyOnWriteArrayList<>();
    AtomicBoolean waited = new AtomicBoolean();
    Backoff.retry(
            vertx,
            retryMaxDelay,
            () -> underLock(tenant.id(), () -> provisionOnce(tenant, made)),
            (failure, delay) -> {
              logWaiting("provisioning", tenant, failure, delay);
              if (waited.compareAndSet(false, true)) {
                answerWhileWaiting(tenant, made, answer);
              }
            })
        .onSuccess(
            outcome -> {
              if (waited.get()) {
                LOG.info(
                    "provisioned once Keycloak answered {} {}",
                    kv("tenant", tenant.slug()),
                    kv("status", outcome.tenant().status().wire()));
              }
              answer.tryComplete(outcome);
            })
        .onFailure(answer::tryFail);
    return answer.future();
  }

  /** One attempt: the steps not done, then active; a failure but Keycloak's rolls back. */
  private Future<Outcome> provisionOnce(Tenant tenant, List<CreatedKey> made) {
    return current(tenant)
        .compose(
            now ->
                runStepsThenActivate(now, made)
                    .recover(
                        failure ->
                            IdentityUnavailable.isCause(failure)
                                ? Future.failedFuture(failure)
                                : rollBack(now, failure)));
  }

  private Future<Outcome> runStepsThenActivate(Tenant tenant, List<CreatedKey> made) {
    return steps
        .done(tenant.id())
        .compose(done -> runSteps(tenant, done, made))
        .compose(ignored -> activate(tenant))
        .map(active -> new Outcome(active, List.copyOf(made)));
  }

  /** The caller of a create that waits for Keycloak hears now: the tenant as it is, its keys. */
  private void answerWhileWaiting(Tenant tenant, List<CreatedKey> made, Promise<Outcome> answer) {
    List<CreatedKey> keysSoFar = List.copyOf(made);
    current(tenant)
        .onComplete(
            now ->
                answer.tryComplete(
                    new Outcome(now.succeeded() ? now.result() : tenant, keysSoFar)));
  }

  private Future<Tenant> activate(Tenant tenant) {
    return tenants
        .transition(tenant.id(), List.of(TenantStatus.PROVISIONING), TenantStatus.ACTIVE, null)
        .compose(active -> reload(tenant, active));
  }

  /**
   * Removes the realm or organization, drops the schema and keys, forgets the steps, and marks the
   * tenant {@code deleted}. While Keycloak is unreachable the tenant stays {@code deleting} and the
   * removal is retried in the background; the returned future completes when it is done.
   */
  public Future<Tenant> delete(Tenant tenant) {
    return Backoff.retry(
        vertx,
        retryMaxDelay,
        () -> underLock(tenant.id(), () -> deleteOnce(tenant)),
        (failure, delay) -> logWaiting("deletion", tenant, failure, delay));
  }

  private Future<Tenant> deleteOnce(Tenant tenant) {
    return current(tenant)
        .compose(now -> removeEverything(now).compose(ignored -> markDeleted(now)));
  }

  private Future<Tenant> markDeleted(Tenant tenant) {
    return tenants
        .transition(tenant.id(), List.of(TenantStatus.DELETING), TenantStatus.DELETED, null)
        .compose(deleted -> reload(tenant, deleted));
  }

  private static void logWaiting(String work, Tenant tenant, Throwable failure, Duration delay) {
    LOG.warn(
        "identity unavailable, {} waits {} {} {}",
        work,
        kv("tenant", tenant.slug()),
        kv("retryInMs", delay.toMillis()),
        kv("reason", failure.getMessage()));
  }

  /** The tenant as the registry holds it now: earlier attempts may have recorded more. */
  private Future<Tenant> current(Tenant tenant) {
    return tenants.findById(tenant.id()).map(found -> found.orElse(tenant));
  }

  /**
   * Resumes whatever a crash or restart interrupted: tenants still {@code provisioning} or {@code
   * deleting}. Tenants another node is working on are skipped (their lock is held).
   */
  public Future<Integer> resumeUnfinished() {
    return tenants
        .unfinished()
        .compose(
            list -> {
              List<Future<?>> resumed = new ArrayList<>();
              for (Tenant t : list) {
                LOG.info("resuming {} {}", kv("tenant", t.slug()), kv("status", t.status().wire()));
                resumed.add(t.status() == TenantStatus.DELETING ? delete(t) : provision(t));
              }
              return Future.join(resumed).transform(ignored -> Future.succeededFuture(list.size()));
            });
  }

  /** Runs the steps not done, in order; keys made are added to {@code made} as they are. */
  private Future<Void> runSteps(Tenant tenant, Set<Step> done, List<CreatedKey> made) {
    Future<Void> chain = Future.succeededFuture();
    for (Step step : Step.values()) {
      if (done.contains(step)) {
        continue;
      }
      chain = chain.compose(ignored -> runStep(tenant, step).map(made::addAll).mapEmpty());
    }
    return chain;
  }

  private Future<List<CreatedKey>> runStep(Tenant tenant, Step step) {
    return observer
        .at(tenant.id(), step, StepObserver.Point.BEFORE)
        .compose(ignored -> steps.markStarted(tenant.id(), step))
        .compose(ignored -> execute(tenant, step))
        .compose(
            created ->
                observer.at(tenant.id(), step, StepObserver.Point.AFTER).map(ignored -> created));
  }

  /** Runs one step and records it done; the keys step does both in one transaction. */
  private Future<List<CreatedKey>> execute(Tenant tenant, Step step) {
    return switch (step) {
      case SCHEMA -> schemas.create(tenant.schema()).compose(ignored -> markDone(tenant, step));
      case MIGRATIONS ->
          schemas
              .migrate(tenant.schema())
              .compose(version -> tenants.setSchemaVersion(tenant.id(), version))
              .compose(ignored -> markDone(tenant, step));
      case KEYS -> pool.withTransaction(tx -> replaceKeys(tx, tenant));
      case IDENTITY -> identities.provision(tenant).compose(ignored -> markDone(tenant, step));
    };
  }

  /** Records done a step that makes no keys. */
  private Future<List<CreatedKey>> markDone(Tenant tenant, Step step) {
    return steps.markDone(tenant.id(), step).map(List.of());
  }

  /** The two default keys, recorded done with them; a rerun replaces keys nobody saw. */
  private Future<List<CreatedKey>> replaceKeys(SqlConnection tx, Tenant tenant) {
    return keys.deleteAll(tx, tenant.id())
        .compose(
            ignored ->
                keys.create(tx, tenant.id(), KeyKind.PUBLISHABLE, PUBLISHABLE_KEY_NAME, null))
        .compose(
            pk ->
                keys.create(tx, tenant.id(), KeyKind.SECRET, SECRET_KEY_NAME, null)
                    .map(sk -> List.of(pk, sk)))
        .compose(created -> steps.markDone(tx, tenant.id(), Step.KEYS).map(created));
  }

  private Future<Outcome> rollBack(Tenant tenant, Throwable failure) {
    LOG.warn(
        "provisioning failed, rolling back {} {}",
        kv("tenant", tenant.slug()),
        kv("reason", failure.getMessage()));
    String reason = "provisioning failed: " + failure.getMessage();
    return removeEverything(tenant)
        .compose(
            ignored ->
                tenants.transition(
                    tenant.id(), List.of(TenantStatus.PROVISIONING), TenantStatus.FAILED, reason))
        .compose(failed -> reload(tenant, failed))
        .map(failed -> new Outcome(failed, List.of()));
  }

  /** Identity first: while Keycloak is away nothing else is removed, so a retry starts over. */
  private Future<Void> removeEverything(Tenant tenant) {
    return current(tenant)
        .compose(identities::remove)
        .compose(ignored -> pool.withTransaction(tx -> keys.deleteAll(tx, tenant.id())))
        .compose(ignored -> schemas.drop(tenant.schema()))
        .compose(ignored -> steps.forget(tenant.id()));
  }

  private Future<Tenant> reload(Tenant tenant, Optional<Tenant> updated) {
    return updated.isPresent()
        ? Future.succeededFuture(updated.get())
        : tenants.findById(tenant.id()).map(found -> found.orElse(tenant));
  }

  /**
   * Runs {@code work} holding the tenant's advisory lock on a dedicated connection. When another
   * node holds it, fails with {@link BusyException}.
   */
  private <T> Future<T> underLock(UUID tenant, java.util.function.Supplier<Future<T>> work) {
    return pool.getConnection()
        .compose(
            conn ->
                tryLock(conn, tenant)
                    .compose(
                        locked ->
                            locked
                                ? work.get().eventually(() -> unlock(conn, tenant))
                                : Future.<T>failedFuture(new BusyException(tenant)))
                    .eventually(conn::close));
  }

  private static Future<Boolean> tryLock(SqlConnection conn, UUID tenant) {
    return conn.preparedQuery("SELECT pg_try_advisory_lock(hashtextextended($1, 0))")
        .execute(Tuple.of("plinth.tenant:" + tenant))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  private static Future<Void> unlock(SqlConnection conn, UUID tenant) {
    return conn.preparedQuery("SELECT pg_advisory_unlock(hashtextextended($1, 0))")
        .execute(Tuple.of("plinth.tenant:" + tenant))
        .mapEmpty();
  }

  /** Another node is working on this tenant right now. */
  public static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusyException(UUID tenant) {
      super("another node is working on tenant " + tenant, null, false, false);
    }
  }
}
