package io.plinth.platform.registry;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * A plan and its limits, copied onto a tenant when it is created or moves to the plan; an operator
 * may then give that tenant limits of its own, which keep the plan's name. The rates and busy times
 * are about what each plan's traffic allows at a few milliseconds per request.
 */
public record Plan(String name, TenantLimits limits) {

  public static final List<Plan> ALL =
      List.of(
          new Plan("free", new TenantLimits(10, 10, 10_000, 100L << 20, 10, 30, 100)),
          new Plan("pro", new TenantLimits(200, 100, 5_000_000, 20L << 30, 100, 100, 1_000)),
          new Plan(
              "enterprise",
              new TenantLimits(2_000, 1_000, 500_000_000, 1L << 40, 500, 200, 10_000)),
          // The operator's own tenants and benchmarks: no rate or busy-time limit (0 means none).
          new Plan(
              "internal", new TenantLimits(0, 0, 1_000_000_000_000L, 1L << 50, 1_000, 200, 0)));

  public static Optional<Plan> named(String name) {
    return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Plan::name).toList();
  }

  /**
   * This plan with some of its limits set to other values, keeping the plan's name (see {@link
   * TenantLimits#with}).
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad limit; nothing changes
   */
  public Plan withLimits(JsonObject changes) {
    return new Plan(name, limits.with(changes));
  }

  /**
   * Checks limits to set, as {@link #withLimits} takes them, before any tenant is read: every plan
   * has the same limits, of the same types.
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad limit
   */
  public static void checkLimits(JsonObject changes) {
    TenantLimits.check(changes);
  }
}
