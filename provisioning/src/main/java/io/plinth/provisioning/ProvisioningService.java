package io.plinth.provisioning;

import io.plinth.platform.server.Infrastructure;
import io.plinth.platform.server.PlinthService;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Control plane: tenant lifecycle, per-tenant schemas, API keys, identity, audit (admin API
 * /admin/v1).
 */
public final class ProvisioningService implements PlinthService {

  public static final String NAME = "provisioning";
  public static final int DEFAULT_PORT = 8081;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, String> defaults() {
    return Map.of("plinth.http.port", String.valueOf(DEFAULT_PORT));
  }

  @Override
  public Future<Routes> start(Infrastructure infrastructure) {
    // Health and metrics come from the node; the API arrives with its issue.
    return Future.succeededFuture(router -> {});
  }
}
