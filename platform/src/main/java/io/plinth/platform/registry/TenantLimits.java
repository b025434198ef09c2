package io.plinth.platform.registry;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's limits: its plan's, copied onto the tenant when it is created or changes plan, and
 * possibly changed for that tenant alone. The control plane shows and changes them; the data plane
 * enforces them. Rates are per second (0: no limit); {@code busyMsPerSecond}: how long the tenant's
 * requests may be in progress on one data-plane node per second, summed (0: no limit; ADR 0012).
 *
 * <p>The names in {@link #toJson()} are the admin API's; the registry's columns are mapped in
 * {@code TenantRows}.
 */
public record TenantLimits(
    int ratePerSecond,
    int ratePerKeyPerSecond,
    long maxRows,
    long maxStorageBytes,
    int maxCollections,
    int maxFields,
    int busyMsPerSecond) {

  /** No limit at all: what a limit missing from a cached entry (an older node's) stands for. */
  public static final TenantLimits NONE =
      new TenantLimits(
          0, 0, Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);

  public JsonObject toJson() {
    return new JsonObject()
        .put("ratePerSecond", ratePerSecond)
        .put("ratePerKeyPerSecond", ratePerKeyPerSecond)
        .put("maxRows", maxRows)
        .put("maxStorageBytes", maxStorageBytes)
        .put("maxCollections", maxCollections)
        .put("maxFields", maxFields)
        .put("busyMsPerSecond", busyMsPerSecond);
  }

  /** Limits named as {@link #toJson()} names them; a limit not given is {@code absent}'s. */
  static TenantLimits fromJson(JsonObject json, TenantLimits absent) {
    return new TenantLimits(
        json.getInteger("ratePerSecond", absent.ratePerSecond),
        json.getInteger("ratePerKeyPerSecond", absent.ratePerKeyPerSecond),
        json.getLong("maxRows", absent.maxRows),
        json.getLong("maxStorageBytes", absent.maxStorageBytes),
        json.getInteger("maxCollections", absent.maxCollections),
        json.getInteger("maxFields", absent.maxFields),
        json.getInteger("busyMsPerSecond", absent.busyMsPerSecond));
  }

  /**
   * These limits with some set to other values: an operator's own terms for one tenant. {@code
   * changes} names limits as {@link #toJson()} does; each value is a whole number from 0 (for a
   * rate: no limit) up to what the limit can hold.
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad limit; nothing changes
   */
  public TenantLimits with(JsonObject changes) {
    check(changes);
    return fromJson(changes, this);
  }

  /**
   * Checks limits to set, as {@link #with} takes them, before any tenant is read.
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad limit
   */
  public static void check(JsonObject changes) {
    JsonObject shape = NONE.toJson();
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
}
