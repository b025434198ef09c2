package io.plinth.provisioning;

import io.plinth.platform.keys.KeyUsage;
import io.plinth.platform.registry.RegistryInvalidations;
import io.plinth.platform.server.Infrastructure;
import io.plinth.platform.server.PlinthService;
import io.plinth.provisioning.audit.AuditLog;
import io.plinth.provisioning.keys.KeyRepository;
import io.plinth.provisioning.migrations.FleetMigrations;
import io.plinth.provisioning.operators.OperatorAuth;
import io.plinth.provisioning.registry.RegistryMigrations;
import io.plinth.provisioning.tenants.TenantLifecycle;
import io.plinth.provisioning.tenants.TenantRepository;
import io.plinth.provisioning.tenants.TenantSchemas;
import io.plinth.provisioning.workflow.ProvisioningWorkflow;
import io.plinth.provisioning.workflow.StepObserver;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: tenant lifecycle, per-tenant schemas, API keys, audit, fleet migrations (admin
 * API {@code /admin/v1}). The composition root of the service.
 */
public final class ProvisioningService implements PlinthService {

  public static final String NAME = "provisioning";
  public static final int DEFAULT_PORT = 8081;
  private static final java.time.Duration KEY_USAGE_FLUSH = java.time.Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningService.class);

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
    Pool pool = infra.databases().writer();
    RegistryInvalidations invalidations = new RegistryInvalidations(infra.cluster(), infra.vertx());
    TenantRepository tenants = new TenantRepository(pool, invalidations);
    KeyRepository keys = new KeyRepository(pool, invalidations);
    int parallelism = settings.migrationParallelism();
    int poolSize = infra.config().database().poolSize();
    if (poolSize < parallelism * TenantSchemas.CONNECTIONS_PER_OPERATION) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "PLINTH_DB_POOL_SIZE ("
                  + poolSize
                  + ") must be at least "
                  + TenantSchemas.CONNECTIONS_PER_OPERATION
                  + " x PLINTH_MIGRATIONS_PARALLELISM ("
                  + parallelism
                  + ")"));
    }
    TenantSchemas schemas =
        new TenantSchemas(
            infra.vertx().createSharedWorkerExecutor("plinth-tenant-schemas", parallelism),
            infra.databases().jdbcWriter(),
            settings.tenantMigrationLocations());
    ProvisioningWorkflow workflow =
        new ProvisioningWorkflow(pool, tenants, schemas, keys, stepObserver);
    FleetMigrations migrations =
        new FleetMigrations(infra.vertx(), pool, tenants, schemas, settings.migrationParallelism());
    KeyUsage operatorKeyUsage = new KeyUsage(pool, "plinth.operator_keys");
    operatorKeyUsage.flushEvery(infra.vertx(), KEY_USAGE_FLUSH);
    AdminRoutes routes =
        new AdminRoutes(
            new OperatorAuth(pool, operatorKeyUsage),
            new AuditLog(pool),
            new TenantLifecycle(pool, tenants, workflow),
            tenants,
            keys,
            migrations);
    return infra
        .vertx()
        .executeBlocking(
            () -> {
              RegistryMigrations.migrate(infra.databases().jdbcWriter());
              return null;
            },
            false)
        .compose(ignored -> OperatorAuth.bootstrap(pool, settings.bootstrapOperatorKey()))
        .onSuccess(
            ignored -> {
              // Interrupted work resumes in the background; the node serves meanwhile.
              workflow
                  .resumeUnfinished()
                  .onFailure(e -> LOG.warn("could not resume unfinished tenants", e));
              migrations
                  .resumeRunning()
                  .onFailure(e -> LOG.warn("could not resume fleet migrations", e));
            })
        .map(routes);
  }
}
