package io.plinth.provisioning.tenants;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/** A plan and its limits; the limits are copied onto the tenant when it is created. */
public record Plan(
    String name,
    int ratePerSecond,
    int ratePerKeyPerSecond,
    long maxRows,
    long maxStorageBytes,
    int maxCollections,
    int maxFields) {

  public static final List<Plan> ALL =
      List.of(
          new Plan("free", 10, 10, 10_000, 100L << 20, 10, 30),
          new Plan("pro", 200, 100, 5_000_000, 20L << 30, 100, 100),
          new Plan("enterprise", 2_000, 1_000, 500_000_000, 1L << 40, 500, 200),
          // The operator's own tenants and benchmarks: no request rate limit (0 means none).
          new Plan("internal", 0, 0, 1_000_000_000_000L, 1L << 50, 1_000, 200));

  public static Optional<Plan> named(String name) {
    return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Plan::name).toList();
  }

  JsonObject limitsJson() {
    return new JsonObject()
        .put("ratePerSecond", ratePerSecond)
        .put("ratePerKeyPerSecond", ratePerKeyPerSecond)
        .put("maxRows", maxRows)
        .put("maxStorageBytes", maxStorageBytes)
        .put("maxCollections", maxCollections)
        .put("maxFields", maxFields);
  }
}
