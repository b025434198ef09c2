package io.plinth.tenantapi;

import io.plinth.platform.keys.KeyUsage;
import io.plinth.platform.server.Infrastructure;
import io.plinth.platform.server.PlinthService;
import io.plinth.tenantapi.auth.ApiKeyAuthentication;
import io.plinth.tenantapi.auth.KeyDirectory;
import io.plinth.tenantapi.collections.CollectionRoutes;
import io.plinth.tenantapi.collections.CollectionStore;
import io.plinth.tenantapi.records.RecordRoutes;
import io.plinth.tenantapi.records.RecordStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The data plane: the tenants' REST API ({@code /v1}): collections, records, queries, and the
 * OpenAPI description of it all. The composition root of the service.
 */
public final class TenantApiService implements PlinthService {

  public static final String NAME = "tenant-api";
  public static final int DEFAULT_PORT = 8080;

  /** How long a key's registry entry is trusted: revocation and suspension show within it. */
  static final Duration KEY_CACHE_TTL = Duration.ofSeconds(1);

  static final Duration KEY_USAGE_FLUSH = Duration.ofSeconds(5);

  /** Until plans carry it: the most collections one tenant may have. */
  static final int MAX_COLLECTIONS_PER_TENANT = 200;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, String> defaults() {
    return PlinthService.withHttpPort(DEFAULT_PORT);
  }

  @Override
  public Future<Routes> start(Infrastructure infra) {
    Pool pool = infra.databases().writer();
    KeyUsage usage = new KeyUsage(pool, "plinth.api_keys");
    usage.flushEvery(infra.vertx(), KEY_USAGE_FLUSH);
    ApiKeyAuthentication authentication =
        new ApiKeyAuthentication(
            new KeyDirectory(pool, KEY_CACHE_TTL, Clock.systemUTC()), usage, Clock.systemUTC());
    CollectionStore collectionStore = new CollectionStore(pool, MAX_COLLECTIONS_PER_TENANT);
    CollectionRoutes collections = new CollectionRoutes(collectionStore);
    RecordRoutes records = new RecordRoutes(collectionStore, new RecordStore(pool));
    return OpenApiDocument.load(infra.vertx())
        .map(
            openApi ->
                router -> {
                  openApi.addTo(router); // before authentication: the description is public
                  router.route("/v1/*").handler(authentication);
                  collections.addTo(router);
                  records.addTo(router);
                });
  }
}
