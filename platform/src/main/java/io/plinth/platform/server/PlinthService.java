package io.plinth.platform.server;

import io.plinth.platform.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * A Plinth service (control plane, data plane): a name, its own setting defaults, and its routes.
 * The {@link PlinthNode} it runs in supplies configuration, pools, the cluster member, metrics,
 * health, errors and shutdown.
 */
public interface PlinthService {

  /** Short name used in logs, metrics and the cluster, e.g. {@code provisioning}. */
  String name();

  /** Setting defaults that differ from the platform's, keyed by setting key. */
  Map<String, String> defaults();

  /** The usual service default: its own HTTP port. */
  static Map<String, String> withHttpPort(int port) {
    return Map.of(io.plinth.platform.config.Settings.HTTP_PORT.key(), String.valueOf(port));
  }

  /**
   * Prepares the service on the node's infrastructure (migrations, caches, background work) and
   * returns its routes. Runs once per node, before the HTTP server opens.
   */
  Future<Routes> start(Infrastructure infrastructure);

  /** Adds a service's routes to a router; called once per HTTP server instance. */
  @FunctionalInterface
  interface Routes {
    void addTo(Router router);

    /**
     * Handlers every request meets before the node's own routes ({@code /health/*}, {@code
     * /metrics}) and the service's, e.g. CORS; none by default.
     */
    default void addFirst(Router router) {}

    /**
     * Readiness checks of the service's own dependencies (e.g. Keycloak), next to the node's
     * PostgreSQL and Hazelcast checks.
     */
    default List<ReadinessCheck> readinessChecks() {
      return List.of();
    }

    /**
     * Work to finish when the node stops, once its servers stopped serving (no request is in flight
     * any more) and before its pools close, e.g. writing what was counted. The node waits for it at
     * most {@code plinth.shutdown.timeout}.
     */
    default Future<Void> stop() {
      return Future.succeededFuture();
    }
  }
}
