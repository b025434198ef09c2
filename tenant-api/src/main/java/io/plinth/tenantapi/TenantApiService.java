package io.plinth.tenantapi;

import io.plinth.platform.server.Infrastructure;
import io.plinth.platform.server.PlinthService;
import io.vertx.core.Future;
import java.util.Map;

/** Data plane: the tenants' REST API (/v1): collections, records, queries, change streams. */
public final class TenantApiService implements PlinthService {

  public static final String NAME = "tenant-api";
  public static final int DEFAULT_PORT = 8080;

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
