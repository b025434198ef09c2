package io.plinth.platform.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What the node directory says of one running node: its service, its id (its Hazelcast member's
 * UUID, so the entry goes when the member leaves), the URL it is reached at, when it started, and
 * its PostgreSQL pools as last published.
 */
public record NodeEntry(
    String service, String node, String url, Instant startedAt, List<PoolFigures> pools) {

  public NodeEntry {
    pools = List.copyOf(pools);
  }

  /** The same node with fresher pool figures. */
  NodeEntry withPools(List<PoolFigures> now) {
    return new NodeEntry(service, node, url, startedAt, now);
  }

  public JsonObject toJson() {
    JsonArray databases = new JsonArray();
    pools.forEach(pool -> databases.add(pool.toJson()));
    return new JsonObject()
        .put("service", service)
        .put("node", node)
        .put("url", url)
        .put("startedAt", startedAt.toString())
        .put("pools", databases);
  }

  public static NodeEntry fromJson(JsonObject json) {
    return new NodeEntry(
        json.getString("service"),
        json.getString("node"),
        json.getString("url"),
        Instant.parse(json.getString("startedAt")),
        json.getJsonArray("pools").stream()
            .map(pool -> PoolFigures.fromJson((JsonObject) pool))
            .toList());
  }
}
