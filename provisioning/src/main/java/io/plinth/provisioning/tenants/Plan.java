package io.plinth.provisioning.tenants;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A plan and its limits; the limits are copied onto the tenant when it is created. {@code
 * busyMsPerSecond}: how long the tenant's requests may be in progress on one data-plane node per
 * second, summed (0: no limit); about what its request rate allows at a few milliseconds each.
 */
public record Plan(
    String name,
    int ratePerSecond,
    int ratePerKeyPerSecond,
    long maxRows,
    long maxStorageBytes,
    int maxCollections,
    int maxFields,
    int busyMsPerSecond) {

  public static final List<Plan> ALL =
      List.of(
          new Plan("free", 10, 10, 10_000, 100L << 20, 10, 30, 100),
          new Plan("pro", 200, 100, 5_000_000, 20L << 30, 100, 100, 1_000),
          new Plan("enterprise", 2_000, 1_000, 500_000_000, 1L << 40, 500, 200, 10_000),
          // The operator's own tenants and benchmarks: no rate or busy-time limit (0 means none).
          new Plan("internal", 0, 0, 1_000_000_000_000L, 1L << 50, 1_000, 200, 0));

  public static Optional<Plan> named(String name) {
    return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Plan::name).toList();
  }

  /**
   * This plan with some of its limits set to other values: an operator's own terms for one tenant,
   * keeping the plan's name. {@code changes} names limits as {@link #limitsJson()} does; each value
   * is a whole number from 0 (for a rate: no limit) up to what the limit can hold.
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad limit; nothing changes
   */
  public Plan withLimits(JsonObject changes) {
    checkLimits(changes);
    JsonObject limits = limitsJson().mergeIn(changes);
    return new Plan(
        name,
        limits.getInteger("ratePerSecond"),
        limits.getInteger("ratePerKeyPerSecond"),
        limits.getLong("maxRows"),
        limits.getLong("maxStorageBytes"),
        limits.getInteger("maxCollections"),
        limits.getInteger("maxFields"),
        limits.getInteger("busyMsPerSecond"));
  }

  /**
   * Checks limits to set, as {@link #withLimits} takes them, before any tenant is read: every plan
   * has the same limits, of the same types.
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad limit
   */
  public static void checkLimits(JsonObject changes) {
    JsonObject shape = ALL.get(0).limitsJson();
    List<Problem.FieldError> errors = new ArrayList<>();
    for (String name : changes.fieldNames()) {
      Object value = changes.getValue(name);
      if (!shape.containsKey(name)) {
        errors.add(new Problem.FieldError("limits." + name, "not a limit"));
      } else if (!(value instanceof Integer || value instanceof Long)
          || ((Number) value).longValue() < 0
          || (shape.getValue(name) instanceof Integer
              && ((Number) value).longValue() > Integer.MAX_VALUE)) {
        errors.add(new Problem.FieldError("limits." + name, "a whole number from 0"));
      }
    }
    ProblemException.failIfAny(errors, "the change is not valid");
  }

  JsonObject limitsJson() {
    return new JsonObject()
        .put("ratePerSecond", ratePerSecond)
        .put("ratePerKeyPerSecond", ratePerKeyPerSecond)
        .put("maxRows", maxRows)
        .put("maxStorageBytes", maxStorageBytes)
        .put("maxCollections", maxCollections)
        .put("maxFields", maxFields)
        .put("busyMsPerSecond", busyMsPerSecond);
  }
}
