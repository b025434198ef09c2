package io.plinth.provisioning.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The Keycloak instances as the cluster page shows them: each one's URL, the tenant realms it holds
 * against the cap (counted as placement counts them, {@link RealmPlacement#counts}) and whether it
 * answers now. An instance that does not answer is shown so, it does not fail the page.
 */
public final class KeycloakFleet {

  private final List<KeycloakAdmin> instances;
  private final RealmPlacement placement;
  private final int cap;
  private final long timeoutMillis;

  public KeycloakFleet(
      List<KeycloakAdmin> instances, RealmPlacement placement, int cap, long timeoutMillis) {
    this.instances = List.copyOf(instances);
    this.placement = placement;
    this.cap = cap;
    this.timeoutMillis = timeoutMillis;
  }

  /** {@code [{name, url, realms, cap, reachable}]}, in configured order; empty without Keycloak. */
  public Future<JsonArray> status() {
    if (instances.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    List<Future<Void>> pings = instances.stream().map(i -> i.ping(timeoutMillis)).toList();
    Future<Map<String, Long>> counts = placement.counts();
    return Future.join(counts, Future.join(pings))
        .transform(
            ignored -> {
              if (counts.failed()) {
                return Future.failedFuture(counts.cause());
              }
              JsonArray all = new JsonArray();
              for (int i = 0; i < instances.size(); i++) {
                KeycloakInstance instance = instances.get(i).instance();
                JsonObject entry =
                    new JsonObject()
                        .put("name", instance.name())
                        .put("url", instance.url().toString())
                        .put("realms", counts.result().getOrDefault(instance.name(), 0L))
                        .put("cap", cap)
                        .put("reachable", pings.get(i).succeeded());
                if (pings.get(i).failed()) {
                  entry.put("error", pings.get(i).cause().getMessage());
                }
                all.add(entry);
              }
              return Future.succeededFuture(all);
            });
  }
}
