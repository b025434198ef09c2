package io.plinth.provisioning.identity;

import io.plinth.platform.registry.TenantRepository;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Places tenant realms on Keycloak instances, the way schemas are placed on databases: the instance
 * with the fewest realms, among those under the cap, counted in the registry (live tenants in realm
 * mode by instance, {@link TenantRepository#placeRealm}: counted and recorded under one lock, so
 * concurrent creates never overfill an instance). A tenant keeps its instance once placed: a
 * resumed step creates the realm where it was meant to be.
 */
public final class RealmPlacement {

  private final TenantRepository tenants;

  public RealmPlacement(TenantRepository tenants) {
    this.tenants = tenants;
  }

  /** The instance the tenant's realm goes on, recorded; fails when every instance is full. */
  public Future<String> place(UUID tenant, List<String> instances, int cap) {
    return tenants.placeRealm(
        tenant,
        counts ->
            choose(instances, counts, cap)
                .map(Future::succeededFuture)
                .orElseGet(
                    () ->
                        Future.failedFuture(
                            new KeycloakRefused(
                                507,
                                "every Keycloak instance ("
                                    + String.join(", ", instances)
                                    + ") holds its cap of "
                                    + cap
                                    + " tenant realms; add an instance to"
                                    + " PLINTH_IDENTITY_KEYCLOAK_INSTANCES or raise"
                                    + " PLINTH_IDENTITY_REALMS_PER_INSTANCE"))));
  }

  /** The realms each instance holds now, as placement counts them, by instance name. */
  public Future<Map<String, Long>> counts() {
    return tenants.realmsPerInstance();
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
