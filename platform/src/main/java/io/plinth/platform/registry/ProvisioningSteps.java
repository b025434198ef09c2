package io.plinth.platform.registry;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code plinth.provisioning_steps}: which steps of making a tenant have started and which are
 * done, so that a crash resumes from the first step not done. A step is recorded by its enum
 * constant's name in lowercase ({@code SCHEMA} as {@code schema}).
 *
 * @param <S> the steps, in the order they run
 */
public final class ProvisioningSteps<S extends Enum<S>> {

  private final Pool pool;
  private final Class<S> steps;

  public ProvisioningSteps(Pool pool, Class<S> steps) {
    this.pool = pool;
    this.steps = steps;
  }

  /** The steps of this tenant recorded done. */
  public Future<Set<S>> done(UUID tenant) {
    return pool.preparedQuery(
            "SELECT step FROM plinth.provisioning_steps WHERE tenant_id = $1 AND state = 'done'")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              Set<S> done = EnumSet.noneOf(steps);
              rows.forEach(
                  row -> done.add(Enum.valueOf(steps, row.getString(0).toUpperCase(Locale.ROOT))));
              return done;
            });
  }

  public Future<Void> markStarted(UUID tenant, S step) {
    return mark(pool, tenant, step, "started");
  }

  public Future<Void> markDone(UUID tenant, S step) {
    return markDone(pool, tenant, step);
  }

  /** Marks a step done on {@code client}: inside the transaction of the step's own work. */
  public Future<Void> markDone(SqlClient client, UUID tenant, S step) {
    return mark(client, tenant, step, "done");
  }

  /** Forgets every step of this tenant: it was rolled back or deleted. */
  public Future<Void> forget(UUID tenant) {
    return pool.preparedQuery("DELETE FROM plinth.provisioning_steps WHERE tenant_id = $1")
        .execute(Tuple.of(tenant))
        .mapEmpty();
  }

  private static Future<Void> mark(SqlClient client, UUID tenant, Enum<?> step, String state) {
    return client
        .preparedQuery(
            "INSERT INTO plinth.provisioning_steps (tenant_id, step, state) VALUES ($1, $2, $3)"
                + " ON CONFLICT (tenant_id, step) DO UPDATE SET state = $3, updated_at = now()")
        .execute(Tuple.of(tenant, step.name().toLowerCase(Locale.ROOT), state))
        .mapEmpty();
  }
}
