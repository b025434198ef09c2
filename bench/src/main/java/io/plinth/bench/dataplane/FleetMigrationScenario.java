package io.plinth.bench.dataplane;

import io.plinth.bench.dataplane.DataPlaneReport.Reference;
import io.plinth.bench.dataplane.DataPlaneReport.Row;
import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.FleetMigration;
import io.plinth.bench.run.Progress;
import io.plinth.provisioning.ProvisioningSettings;
import java.util.Locale;
import java.util.Map;

/**
 * Group tenants, second part: restarts the platform with one more tenant migration (a table and an
 * index) and migrates every tenant schema through the admin API: the same command's fleet migration
 * over 1,000 tenants.
 */
final class FleetMigrationScenario {

  private FleetMigrationScenario() {}

  /** Stops {@code uncached} and the platform first: the restart starts the platform alone. */
  static Row run(
      BenchPlatform platform, AdminApi admin, ScenarioRunner runner, UncachedNode uncached)
      throws Exception {
    Progress.say("fleet migration: restarting with " + FleetMigration.BENCH_LOCATIONS);
    uncached.close();
    platform.stop();
    platform.start(
        Map.of(
            ProvisioningSettings.TENANT_MIGRATION_LOCATIONS.key(), FleetMigration.BENCH_LOCATIONS));
    runner.measurePostgres(ScenarioRunner.postmasterPid(platform));
    return runner.measured(
        () -> {
          FleetMigration.Result migrated = FleetMigration.run(admin, Progress::say);
          return new ScenarioResult(
              String.format(
                  Locale.ROOT,
                  "fleet migration over %,d tenant schemas, parallelism %d (server %.1f s)",
                  migrated.total(),
                  migrated.parallelism(),
                  migrated.serverSeconds()),
              migrated.done(),
              0,
              migrated.wallSeconds(),
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              migrated.failed(),
              migrated.failures());
        },
        Reference.NONE);
  }
}
