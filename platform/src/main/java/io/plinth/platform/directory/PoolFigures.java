package io.plinth.platform.directory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.db.Databases;
import io.vertx.core.json.JsonObject;

/**
 * One PostgreSQL pool of a node at one moment: connections open ({@code size}), the most it opens
 * ({@code maxSize}), those lent out ({@code inUse}) and the requests waiting for one ({@code
 * waiting}). The last two come from Vert.x's pool metrics ({@code vertx_pool_in_use}, {@code
 * vertx_pool_queue_pending}); null when the node has no such meter.
 */
public record PoolFigures(
    String name, String role, int size, int maxSize, Integer inUse, Integer waiting) {

  static final String IN_USE = "vertx.pool.in.use";
  static final String WAITING = "vertx.pool.queue.pending";

  /** Reads the pool's figures now; cheap (a counter and two gauges), for a periodic refresh. */
  public static PoolFigures of(Databases.NamedPool pool, MeterRegistry meters) {
    return new PoolFigures(
        pool.name(),
        pool.role(),
        pool.pool().size(),
        pool.maxSize(),
        gauge(meters, IN_USE, pool.name()),
        gauge(meters, WAITING, pool.name()));
  }

  private static Integer gauge(MeterRegistry meters, String name, String pool) {
    Gauge gauge = meters.find(name).tag("pool_name", pool).gauge();
    if (gauge == null || Double.isNaN(gauge.value())) {
      return null;
    }
    return (int) gauge.value();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("role", role)
        .put("size", size)
        .put("maxSize", maxSize)
        .put("inUse", inUse)
        .put("waiting", waiting);
  }

  public static PoolFigures fromJson(JsonObject json) {
    return new PoolFigures(
        json.getString("name"),
        json.getString("role"),
        json.getInteger("size"),
        json.getInteger("maxSize"),
        json.getInteger("inUse"),
        json.getInteger("waiting"));
  }
}
