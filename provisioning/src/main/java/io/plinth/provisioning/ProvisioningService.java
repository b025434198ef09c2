package io.plinth.provisioning;

import io.plinth.platform.config.Settings;
import io.plinth.platform.health.ReadinessCheck;
import io.plinth.platform.http.OpenApiDocument;
import io.plinth.platform.identity.IssuerKeys;
import io.plinth.platform.registry.AuditEvents;
import io.plinth.platform.registry.KeyRepository;
import io.plinth.platform.registry.KeyUsage;
import io.plinth.platform.registry.MigrationRuns;
import io.plinth.platform.registry.OperatorKeys;
import io.plinth.platform.registry.ProvisioningSteps;
import io.plinth.platform.registry.RegistryInvalidations;
import io.plinth.platform.registry.RegistryMigrations;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.platform.registry.UsageMinutes;
import io.plinth.platform.registry.UsageSamples;
import io.plinth.platform.server.Infrastructure;
import io.plinth.platform.server.PlinthService;
import io.plinth.provisioning.admin.AdminApi;
import io.plinth.provisioning.admin.AdminHandlers;
import io.plinth.provisioning.audit.AuditLog;
import io.plinth.provisioning.audit.AuditRoutes;
import io.plinth.provisioning.cluster.ClusterOverview;
import io.plinth.provisioning.cluster.ClusterRoutes;
import io.plinth.provisioning.cluster.NodeProbe;
import io.plinth.provisioning.console.ConsoleAssets;
import io.plinth.provisioning.console.ConsoleRoutes;
import io.plinth.provisioning.data.DataAccess;
import io.plinth.provisioning.data.DataForwarder;
import io.plinth.provisioning.data.DataRoutes;
import io.plinth.provisioning.data.OperatorAccessKeys;
import io.plinth.provisioning.identity.ExternalIssuers;
import io.plinth.provisioning.identity.IdentitySettings;
import io.plinth.provisioning.identity.KeycloakAdmin;
import io.plinth.provisioning.identity.KeycloakFleet;
import io.plinth.provisioning.identity.KeycloakInstance;
import io.plinth.provisioning.identity.KeycloakReadiness;
import io.plinth.provisioning.identity.PlatformRealm;
import io.plinth.provisioning.identity.RealmCreator;
import io.plinth.provisioning.identity.RealmPlacement;
import io.plinth.provisioning.identity.RealmTemplates;
import io.plinth.provisioning.identity.TenantIdentities;
import io.plinth.provisioning.keys.KeyRoutes;
import io.plinth.provisioning.keys.TenantKeys;
import io.plinth.provisioning.metrics.ControlPlaneMetrics;
import io.plinth.provisioning.migrations.FleetMigrations;
import io.plinth.provisioning.migrations.MigrationRoutes;
import io.plinth.provisioning.operators.OperatorAuth;
import io.plinth.provisioning.operators.OperatorTokens;
import io.plinth.provisioning.tenants.TenantLifecycle;
import io.plinth.provisioning.tenants.TenantRoutes;
import io.plinth.provisioning.tenants.TenantSchemas;
import io.plinth.provisioning.usage.UsageReport;
import io.plinth.provisioning.usage.UsageRoutes;
import io.plinth.provisioning.usage.UsageSampler;
import io.plinth.provisioning.workflow.ProvisioningWorkflow;
import io.plinth.provisioning.workflow.Step;
import io.plinth.provisioning.workflow.StepObserver;
import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: tenant lifecycle, per-tenant schemas, API keys, identity (Keycloak realms and
 * organizations, operators' tokens), audit, fleet migrations (admin API {@code /admin/v1}). The
 * composition root of the service.
 */
public final class ProvisioningService implements PlinthService {

  public static final String NAME = "provisioning";
  public static final int DEFAULT_PORT = 8081;
  private static final java.time.Duration KEY_USAGE_FLUSH = java.time.Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningService.class);
  private static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(5);
  private static final java.time.Duration DISCOVERY_TIMEOUT = java.time.Duration.ofSeconds(10);

  /** Longer than the data plane's own statement timeout, so its 503 comes back rather than ours. */
  private static final java.time.Duration DATA_PLANE_REQUEST_TIMEOUT =
      java.time.Duration.ofSeconds(60);

  /** The OpenAPI 3.1 description of {@code /admin/v1}, served without credentials. */
  public static final String OPENAPI_PATH = AdminApi.BASE + "/openapi.json";

  static final String OPENAPI_RESOURCE = "openapi/admin-api.json";

  private final StepObserver stepObserver;

  public ProvisioningService() {
    this(StepObserver.NONE);
  }

  /** With an observer around provisioning steps: failure-injection tests use it. */
  public ProvisioningService(StepObserver stepObserver) {
    this.stepObserver = stepObserver;
  }

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
    ProvisioningSettings settings = ProvisioningSettings.load(infra.config().source());
    IdentitySettings identitySettings = IdentitySettings.load(infra.config().source());
    Pool pool = infra.databases().writer();
    RegistryInvalidations invalidations = new RegistryInvalidations(infra.cluster(), infra.vertx());
    TenantRepository tenants = new TenantRepository(pool, invalidations);
    KeyRepository keys = new KeyRepository(pool, invalidations);
    int parallelism = settings.migrationParallelism();
    TenantSchemas schemas =
        new TenantSchemas(
            infra.vertx().createSharedWorkerExecutor("plinth-tenant-schemas", parallelism),
            infra.databases().jdbcWriter(),
            settings.tenantMigrationLocations());
    // One HTTP client for every outgoing call: Keycloak, the data plane, other nodes' readiness.
    WebClient web = web(infra);
    Identity identity = identity(infra, web, identitySettings, tenants);
    ProvisioningWorkflow workflow =
        new ProvisioningWorkflow(
            infra.vertx(),
            pool,
            new ProvisioningSteps<>(pool, Step.class),
            tenants,
            schemas,
            keys,
            identity.tenants(),
            identitySettings.retryMaxDelay(),
            stepObserver);
    FleetMigrations migrations =
        new FleetMigrations(
            infra.vertx(),
            new MigrationRuns(pool),
            tenants,
            schemas,
            settings.migrationParallelism(),
            settings.migrationClaimLease());
    new ControlPlaneMetrics(infra.meters(), tenants, new MigrationRuns(pool))
        .refreshEvery(infra.vertx());
    OperatorKeys operatorKeys = new OperatorKeys(pool);
    KeyUsage operatorKeyUsage = KeyUsage.ofOperatorKeys(pool);
    operatorKeyUsage.flushEvery(infra.vertx(), KEY_USAGE_FLUSH);
    AuditLog audit = new AuditLog(new AuditEvents(pool));
    AdminHandlers admin =
        new AdminHandlers(
            new OperatorAuth(
                operatorKeys, operatorKeyUsage, identity.operatorTokens(), infra.meters()),
            audit);
    TenantLifecycle lifecycle = new TenantLifecycle(pool, tenants, workflow, identity.tenants());
    Usage usage = usage(infra, lifecycle);
    TenantKeys tenantKeys = new TenantKeys(lifecycle, keys);
    OperatorAccessKeys operatorAccessKeys =
        new OperatorAccessKeys(OperatorAccessKeys.Issuer.of(tenantKeys), Clock.systemUTC());
    DataAccess data =
        new DataAccess(
            lifecycle,
            operatorAccessKeys,
            new DataForwarder(web, settings.consoleDataPlaneUrl(), DATA_PLANE_REQUEST_TIMEOUT));
    ClusterRoutes cluster =
        new ClusterRoutes(admin, clusterOverview(infra, web, identity, identitySettings, tenants));
    Future<OpenApiDocument> openApi =
        OpenApiDocument.load(infra.vertx(), OPENAPI_PATH, OPENAPI_RESOURCE);
    Future<Optional<ConsoleAssets>> consoleAssets =
        ConsoleRoutes.load(infra.vertx(), CONSOLE_LOADER);
    Future<Routes> routes =
        Future.all(openApi, consoleAssets)
            .map(
                loaded ->
                    new ServiceRoutes(
                        new AdminApi(
                            audit,
                            List.of(
                                // Before any authentication: the description is public.
                                openApi.result()::addTo,
                                // Before the other tenant routes: it matches raw paths (see there).
                                new DataRoutes(admin, data),
                                new TenantRoutes(admin, lifecycle, tenants),
                                new KeyRoutes(admin, tenantKeys),
                                new AuditRoutes(admin, audit),
                                new MigrationRoutes(admin, migrations),
                                cluster,
                                new UsageRoutes(admin, usage.report())),
                            identity.readiness()),
                        new ConsoleRoutes(
                            infra.vertx(),
                            consoleAssets.result(),
                            identitySettings.enabled()
                                ? Optional.of(identitySettings.primary().url())
                                : Optional.empty(),
                            CONSOLE_LOADER),
                        operatorAccessKeys));
    return routes
        .compose(
            ignored ->
                infra
                    .vertx()
                    .executeBlocking(
                        () -> {
                          RegistryMigrations.migrate(infra.databases().jdbcWriter());
                          return null;
                        },
                        false))
        .compose(ignored -> OperatorAuth.bootstrap(operatorKeys, settings.bootstrapOperatorKey()))
        .compose(ignored -> identity.bootstrap())
        .onSuccess(
            ignored -> {
              // Interrupted work resumes in the background; the node serves meanwhile.
              workflow
                  .resumeUnfinished()
                  .onFailure(e -> LOG.warn("could not resume unfinished tenants", e));
              migrations
                  .resumeRunning()
                  .onFailure(e -> LOG.warn("could not resume fleet migrations", e));
              usage
                  .sampler()
                  .runEvery(
                      infra.vertx(), infra.config().source().value(Settings.USAGE_SAMPLE_INTERVAL));
            })
        .compose(ignored -> routes);
  }

  /** The usage series: what the admin API reads, and the sampler that measures storage. */
  private record Usage(UsageReport report, UsageSampler sampler) {}

  private static Usage usage(Infrastructure infra, TenantLifecycle lifecycle) {
    Pool pool = infra.databases().writer();
    java.time.Duration retention = infra.config().source().value(Settings.USAGE_RETENTION);
    UsageMinutes minutes = new UsageMinutes(pool);
    UsageSamples samples = new UsageSamples(pool);
    return new Usage(
        new UsageReport(lifecycle, minutes, samples, retention, java.time.Clock.systemUTC()),
        new UsageSampler(
            pool,
            samples,
            minutes,
            infra.config().source().value(Settings.USAGE_SAMPLE_BATCH),
            infra.config().source().value(Settings.USAGE_FLUSH_INTERVAL),
            retention,
            java.time.Clock.systemUTC()));
  }

  /**
   * The cluster page: nodes asked for their readiness within the health timeout (and a little for
   * the way), Keycloak instances within half of it, as their readiness check does.
   */
  private static ClusterOverview clusterOverview(
      Infrastructure infra,
      WebClient web,
      Identity identity,
      IdentitySettings settings,
      TenantRepository tenants) {
    long health = infra.config().healthTimeout().toMillis();
    return new ClusterOverview(
        infra.directory(),
        infra.cluster(),
        new NodeProbe(web, health + 500),
        new KeycloakFleet(
            identity.admins(),
            new RealmPlacement(tenants),
            settings.realmsPerInstance(),
            Math.max(100, health / 2)));
  }

  /**
   * Where the console's jar is looked for: the launcher puts it on the classpath; this module never
   * depends on it, since the console's browser tests depend on this one.
   */
  private static final ClassLoader CONSOLE_LOADER = ProvisioningService.class.getClassLoader();

  /** The admin API, then the console's routes; at stop, this node's operator-access keys go. */
  private record ServiceRoutes(
      AdminApi admin, ConsoleRoutes console, OperatorAccessKeys operatorAccessKeys)
      implements Routes {
    @Override
    public void addTo(io.vertx.ext.web.Router router) {
      admin.addTo(router);
      console.addTo(router);
    }

    @Override
    public List<ReadinessCheck> readinessChecks() {
      return admin.readinessChecks();
    }

    @Override
    public Future<Void> stop() {
      return operatorAccessKeys.revokeAll();
    }
  }

  /** The identity parts of the control plane; without Keycloak, tenants and operator keys only. */
  private record Identity(
      TenantIdentities tenants,
      Optional<PlatformRealm> platformRealm,
      RealmCreator realmCreator,
      List<KeycloakAdmin> admins,
      Optional<OperatorTokens> operatorTokens,
      List<ReadinessCheck> readiness) {

    /**
     * What master's administrator makes at start (ADR 0010): the platform realm on the primary
     * instance and the realm creator on every instance. Nothing else uses master {@code admin} but
     * break-glass deletion.
     */
    Future<Void> bootstrap() {
      return platformRealm
          .map(PlatformRealm::ensure)
          .orElse(Future.succeededFuture())
          .compose(ignored -> realmCreator.ensureAtStart(admins));
    }
  }

  private static WebClient web(Infrastructure infra) {
    return WebClient.create(
        infra.vertx(),
        new WebClientOptions()
            .setUserAgent("plinth-control-plane")
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, CONNECT_TIMEOUT.toMillis())));
  }

  private static Identity identity(
      Infrastructure infra, WebClient web, IdentitySettings settings, TenantRepository tenants) {
    Map<String, KeycloakAdmin> admins = new LinkedHashMap<>();
    for (KeycloakInstance instance : settings.instances()) {
      admins.put(
          instance.name(),
          new KeycloakAdmin(
              web,
              instance,
              settings.adminUser(),
              settings.adminPassword(),
              settings.requestTimeout()));
    }
    RealmCreator creator = new RealmCreator(infra.vertx(), settings.retryMaxDelay());
    TenantIdentities identities =
        new TenantIdentities(
            settings,
            admins,
            new ExternalIssuers(web, DISCOVERY_TIMEOUT),
            new RealmPlacement(tenants),
            creator,
            tenants);
    if (!settings.enabled()) {
      KeycloakReadiness.registerMetrics(infra.meters(), Optional.empty());
      return new Identity(
          identities, Optional.empty(), creator, List.of(), Optional.empty(), List.of());
    }
    PlatformRealm platform =
        new PlatformRealm(infra.vertx(), admins.get(settings.primary().name()), settings);
    OperatorTokens tokens =
        new OperatorTokens(
            platform.issuer(),
            RealmTemplates.ADMIN_AUDIENCE,
            RealmTemplates.PLATFORM_ADMIN_ROLE,
            new IssuerKeys(infra.cluster(), infra.vertx(), infra.meters()));
    KeycloakReadiness keycloak =
        new KeycloakReadiness(List.copyOf(admins.values()), infra.config().healthTimeout());
    KeycloakReadiness.registerMetrics(infra.meters(), Optional.of(keycloak));
    return new Identity(
        identities,
        Optional.of(platform),
        creator,
        List.copyOf(admins.values()),
        Optional.of(tokens),
        List.of(keycloak));
  }
}
