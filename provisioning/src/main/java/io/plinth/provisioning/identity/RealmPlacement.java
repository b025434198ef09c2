package io.plinth.provisioning.identity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Places tenant realms on Keycloak instances, the way schemas are placed on databases: the instance
 * with the fewest realms, among those under the cap, counted in the registry (live tenants in realm
 * mode by {@code identity_keycloak}). Counting and recording happen in one transaction under one
 * advisory lock, so concurrent creates never overfill an instance. A tenant keeps its instance once
 * placed: a resumed step creates the realm where it was meant to be.
 */
public final class RealmPlacement {

  private final Pool pool;

  public RealmPlacement(Pool pool) {
    this.pool = pool;
  }

  /** The instance the tenant's realm goes on, recorded; fails when every instance is full. */
  public Future<String> place(UUID tenant, List<String> instances, int cap) {
    return pool.withTransaction(
        tx ->
            tx.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended('plinth.identity.placement', 0))")
                .execute()
                .compose(
                    locked ->
                        tx.preparedQuery(
                                "SELECT identity_keycloak FROM plinth.tenants WHERE id = $1")
                            .execute(Tuple.of(tenant)))
                .compose(
                    rows -> {
                      String placed = rows.iterator().next().getString(0);
                      if (placed != null) {
                        return Future.succeededFuture(placed);
                      }
                      return tx.query(
                              "SELECT identity_keycloak, count(*) FROM plinth.tenants WHERE"
                                  + " identity_mode = 'realm' AND identity_keycloak IS NOT NULL"
                                  + " AND status NOT IN ('deleted', 'failed') GROUP BY 1")
                          .execute()
                          .compose(
                              counted -> {
                                Map<String, Long> counts = new HashMap<>();
                                counted.forEach(r -> counts.put(r.getString(0), r.getLong(1)));
                                Optional<String> chosen = choose(instances, counts, cap);
                                if (chosen.isEmpty()) {
                                  return Future.failedFuture(
                                      new KeycloakRefused(
                                          507,
                                          "every Keycloak instance ("
                                              + String.join(", ", instances)
                                              + ") holds its cap of "
                                              + cap
                                              + " tenant realms; add an instance to"
                                              + " PLINTH_IDENTITY_KEYCLOAK_INSTANCES or raise"
                                              + " PLINTH_IDENTITY_REALMS_PER_INSTANCE"));
                                }
                                return tx.preparedQuery(
                                        "UPDATE plinth.tenants SET identity_keycloak = $2,"
                                            + " updated_at = now() WHERE id = $1")
                                    .execute(Tuple.of(tenant, chosen.get()))
                                    .map(chosen.get());
                              });
                    }));
  }

  /**
   * The instance with the fewest realms under {@code cap}; ties go to the one named first. Empty
   * when every instance holds {@code cap} or more.
   */
  static Optional<String> choose(List<String> instances, Map<String, Long> counts, int cap) {
    String best = null;
    long fewest = Long.MAX_VALUE;
    for (String name : instances) {
      long count = counts.getOrDefault(name, 0L);
      if (count < cap && count < fewest) {
        best = name;
        fewest = count;
      }
    }
    return Optional.ofNullable(best);
  }
}
