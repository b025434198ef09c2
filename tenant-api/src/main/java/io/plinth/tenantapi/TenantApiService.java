package io.plinth.tenantapi;

import io.micrometer.core.instrument.Gauge;
import io.plinth.platform.cluster.ClusterMember;
import io.plinth.platform.cluster.ClusterRateLimiter;
import io.plinth.platform.config.Settings;
import io.plinth.platform.http.OpenApiDocument;
import io.plinth.platform.identity.IssuerKeys;
import io.plinth.platform.identity.JwtVerifier;
import io.plinth.platform.registry.KeyUsage;
import io.plinth.platform.registry.RegistryEntries;
import io.plinth.platform.registry.UsageMinutes;
import io.plinth.platform.server.Infrastructure;
import io.plinth.platform.server.PlinthService;
import io.plinth.platform.usage.UsageFlusher;
import io.plinth.platform.usage.UsageRecorder;
import io.plinth.tenantapi.auth.ApiKeyAuthentication;
import io.plinth.tenantapi.auth.KeyDirectory;
import io.plinth.tenantapi.auth.UserTokenAuthentication;
import io.plinth.tenantapi.changes.ChangeLog;
import io.plinth.tenantapi.changes.ChangeNotifications;
import io.plinth.tenantapi.changes.ChangeRetention;
import io.plinth.tenantapi.changes.ChangeRoutes;
import io.plinth.tenantapi.cluster.WritesNeedMajority;
import io.plinth.tenantapi.collections.CollectionRoutes;
import io.plinth.tenantapi.collections.CollectionStore;
import io.plinth.tenantapi.consistency.ConsistencyTokens;
import io.plinth.tenantapi.cors.CrossOrigin;
import io.plinth.tenantapi.identity.IdentityRoutes;
import io.plinth.tenantapi.limits.BusyCeiling;
import io.plinth.tenantapi.limits.RateLimiting;
import io.plinth.tenantapi.limits.TenantBulkhead;
import io.plinth.tenantapi.metrics.TenantMetrics;
import io.plinth.tenantapi.quotas.StorageQuota;
import io.plinth.tenantapi.records.IdempotencyKeys;
import io.plinth.tenantapi.records.RecordCache;
import io.plinth.tenantapi.records.RecordRoutes;
import io.plinth.tenantapi.records.RecordStore;
import io.plinth.tenantapi.usage.UsageCounting;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
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

  /** The OpenAPI 3.1 description of {@code /v1}, served without a key. */
  public static final String OPENAPI_PATH = "/v1/openapi.json";

  static final String OPENAPI_RESOURCE = "openapi/tenant-api.json";

  static final Duration KEY_USAGE_FLUSH = Duration.ofSeconds(5);

  static final Duration CHANGE_PRUNE_INTERVAL = Duration.ofMinutes(10);

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
    TenantApiSettings settings = TenantApiSettings.load(infra.config().source());
    Pool pool = infra.databases().writer();
    KeyUsage usage = KeyUsage.ofApiKeys(pool);
    usage.flushEvery(infra.vertx(), KEY_USAGE_FLUSH);
    RegistryEntries registry = new RegistryEntries(pool);
    ApiKeyAuthentication authentication =
        new ApiKeyAuthentication(
            new KeyDirectory(registry, infra.cluster(), infra.vertx(), infra.meters()),
            usage,
            Clock.systemUTC());
    ClusterRateLimiter limiter =
        new ClusterRateLimiter(infra.cluster(), infra.vertx(), Clock.systemUTC());
    infra.vertx().setPeriodic(10_000, ignored -> limiter.sweep());
    RateLimiting rateLimiting = new RateLimiting(limiter);
    WritesNeedMajority writesNeedMajority =
        new WritesNeedMajority(ClusterMember.majority(infra.cluster()));
    BusyCeiling ceiling = new BusyCeiling(infra.eventLoopLag()::lateTimers, System::nanoTime);
    Gauge.builder(
            "plinth.tenant.busy.ceiling",
            ceiling,
            c -> c.perSecond() == BusyCeiling.NONE ? Double.NaN : c.perSecond() / 1e6)
        .description("The node's ceiling on tenants' busy time, ms per second (NaN: none)")
        .register(infra.meters());
    TenantBulkhead bulkhead =
        new TenantBulkhead(settings.tenantConcurrency(), settings.tenantQueue(), ceiling);
    // End users' tokens are checked against the tenant's registry row (issuer, audience,
    // organization) with the issuers' keys cached cluster-wide: no call to Keycloak per request.
    UserTokenAuthentication userTokens =
        new UserTokenAuthentication(
            new JwtVerifier(
                new IssuerKeys(infra.cluster(), infra.vertx(), infra.meters()),
                Clock.systemUTC(),
                JwtVerifier.DEFAULT_SKEW));
    CollectionStore collectionStore =
        new CollectionStore(pool, infra.cluster(), infra.vertx(), infra.meters());
    // Queries go to the replicas when they may; the record cache fills from the writer.
    RecordStore recordStore = new RecordStore(pool, infra.databases());
    ConsistencyTokens tokens = new ConsistencyTokens(infra.databases()::writePosition);
    RecordCache recordCache =
        new RecordCache(
            recordStore,
            infra.cluster(),
            infra.vertx(),
            infra.meters(),
            settings.recordCache(),
            settings.recordCacheTenantEntries());
    CollectionRoutes collections = new CollectionRoutes(collectionStore, recordCache, tokens);
    ChangeLog changeLog = new ChangeLog(pool);
    ChangeNotifications notifications =
        new ChangeNotifications(
            infra.vertx(), infra.databases().notifications("plinth-change-listener"));
    notifications.start();
    IdempotencyKeys idempotencyKeys = new IdempotencyKeys(pool);
    new ChangeRetention(
            changeLog, notifications, settings.changeRetention(), idempotencyKeys::prune)
        .runEvery(infra.vertx(), CHANGE_PRUNE_INTERVAL);
    ChangeRoutes changes = new ChangeRoutes(collectionStore, changeLog, notifications);
    TenantMetrics metrics =
        new TenantMetrics(
            infra.meters(),
            infra.config().source().value(Settings.METRICS_TENANT_TAGS),
            infra.config().source().value(Settings.METRICS_SOURCE_TAGS));
    infra.vertx().setPeriodic(TenantMetrics.ELECTION_PERIOD.toMillis(), ignored -> metrics.elect());
    StorageQuota storageQuota =
        new StorageQuota(
            infra.cluster(), infra.vertx(), pool, infra.meters(), metrics::storageMeasured);
    RecordRoutes records =
        new RecordRoutes(collectionStore, recordStore, recordCache, storageQuota, tokens);
    Duration usagePeriod = infra.config().source().value(Settings.USAGE_FLUSH_INTERVAL);
    UsageRecorder usageRecorder = new UsageRecorder(usagePeriod, System::currentTimeMillis);
    UsageFlusher usageFlusher = new UsageFlusher(usageRecorder, new UsageMinutes(pool));
    usageFlusher.runEvery(infra.vertx(), usagePeriod);
    UsageCounting usageCounting = new UsageCounting(usageRecorder);
    IdentityRoutes identity = new IdentityRoutes(registry);
    CrossOrigin cors = new CrossOrigin(settings.corsAllowedOrigins());
    return OpenApiDocument.load(infra.vertx(), OPENAPI_PATH, OPENAPI_RESOURCE)
        .map(
            openApi ->
                new Routes() {
                  @Override
                  public void addFirst(Router router) {
                    cors.addTo(router); // preflights carry no key: before authentication
                  }

                  @Override
                  public void addTo(Router router) {
                    openApi.addTo(router); // before authentication: the description is public
                    // Metrics and usage counting first (they time the whole request), then the
                    // key (who pays), then the rate limit (before any costlier work), then the
                    // end user.
                    router
                        .route("/v1/*")
                        .handler(metrics)
                        .handler(usageCounting)
                        .handler(authentication)
                        .handler(rateLimiting)
                        .handler(userTokens)
                        .handler(writesNeedMajority);
                    // Change streams are long-lived and hold no permit; every route after does.
                    changes.addTo(router);
                    router.route("/v1/*").handler(bulkhead);
                    collections.addTo(router);
                    records.addTo(router);
                    identity.addTo(router);
                  }

                  /** The unfinished minute's counts are written, not lost with the node. */
                  @Override
                  public Future<Void> stop() {
                    return usageFlusher.flushAll();
                  }
                });
  }
}
