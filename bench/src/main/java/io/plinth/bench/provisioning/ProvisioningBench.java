package io.plinth.bench.provisioning;

import io.plinth.bench.report.Latency;
import io.plinth.bench.report.MachineInfo;
import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.BenchMain;
import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.DataDir;
import io.plinth.bench.run.FleetMigration;
import io.plinth.bench.run.PlatformHttp;
import io.plinth.bench.run.PlatformHttp.Response;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import io.plinth.provisioning.ProvisioningSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Provisioning benchmark: the whole platform in this JVM on a fresh data folder, driven over HTTP
 * through the admin API. Creates N tenants with C requests in flight ({@link CreatePhase}), times
 * list and get with few and with many tenants ({@link ListAndGet}), restarts with one more tenant
 * migration and runs it over the fleet, then prints one table with every figure and the PostgreSQL
 * catalog's size ({@link ProvisioningReport}). Run by {@code bench/provisioning}; never part of
 * {@code mvn verify}.
 */
public final class ProvisioningBench {

  private static final int MIGRATION_PARALLELISM = 4;

  private final ProvisioningOptions options;
  private final BenchPlatform platform = new BenchPlatform("provisioning", false);
  private final AdminApi admin = new AdminApi(new PlatformHttp(), platform);
  private final ProvisioningReport report = new ProvisioningReport();

  private ProvisioningBench(ProvisioningOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchMain.main(
        "provisioning",
        ProvisioningOptions.USAGE,
        true,
        args,
        command -> {
          ProvisioningOptions options = ProvisioningOptions.parse(command);
          return () -> new ProvisioningBench(options).run();
        });
  }

  private int run() throws Exception {
    DataDir.requireAbsent(platform.dataDir());
    int tenants = options.tenants();
    try {
      report.machine = MachineInfo.collect();
      Progress.say(
          "starting the platform (data in "
              + platform.dataDir()
              + ", "
              + tenants
              + " tenants, "
              + options.concurrency()
              + " in flight)");
      long started = System.nanoTime();
      platform.start(Map.of());
      report.coldStart = Sampling.secondsSince(started);

      ListAndGet reads = new ListAndGet(admin, report);
      before(reads);
      report.catalog.put("1 tenant", Catalog.of(platform));

      new CreatePhase(admin, options).run(report);

      List<String> all = new ArrayList<>();
      for (int i = 0; i <= tenants; i++) {
        all.add(slug(i));
      }
      report.walkedTenants = reads.walkAll();
      report.listAfter = Latency.ofNanos(reads.list(ListAndGet.SAMPLES));
      report.getAfter = Latency.ofNanos(reads.get(ListAndGet.SAMPLES, all));
      report.catalog.put((tenants + 1) + " tenants", Catalog.of(platform));

      migrationPhase();
      report.catalog.put("after migration", Catalog.of(platform));
      report.postgresVersion = platform.queryString("SELECT version()");
    } finally {
      Progress.say("stopping the platform and deleting " + platform.dataDir());
      platform.stopAndDelete();
    }
    report.print(System.out, options);
    return report.errors() == 0 ? 0 : 1;
  }

  /** List with no tenant, get with one; each after a warm-up, so the JIT is not timed. */
  private void before(ListAndGet reads) {
    reads.list(ListAndGet.WARM_UP);
    report.listBefore = Latency.ofNanos(reads.list(ListAndGet.SAMPLES));
    int baselineStatus = createTenant(admin, slug(0)).status();
    if (baselineStatus != 201) {
      throw new IllegalStateException("creating " + slug(0) + " answered " + baselineStatus);
    }
    List<String> baseline = List.of(slug(0));
    reads.get(ListAndGet.WARM_UP, baseline);
    report.getBefore = Latency.ofNanos(reads.get(ListAndGet.SAMPLES, baseline));
  }

  private void migrationPhase() throws Exception {
    Progress.say("fleet migration: restarting with classpath:db/tenant-bench");
    long stopping = System.nanoTime();
    platform.stop();
    report.stop = Sampling.secondsSince(stopping);
    long starting = System.nanoTime();
    platform.start(
        Map.of(
            ProvisioningSettings.TENANT_MIGRATION_LOCATIONS.key(),
            FleetMigration.BENCH_LOCATIONS,
            ProvisioningSettings.MIGRATION_PARALLELISM.key(),
            String.valueOf(MIGRATION_PARALLELISM)));
    report.restart = Sampling.secondsSince(starting);

    FleetMigration.Result result = FleetMigration.run(admin, Progress::say);
    report.migrationWall = result.wallSeconds();
    report.migrationServer = result.serverSeconds();
    report.migrationTotal = result.total();
    report.migrationDone = result.done();
    report.migrationFailed = result.failed();
    report.migrationParallelism = result.parallelism();
    report.migrationFailures.addAll(result.failures());
  }

  /** POST /admin/v1/tenants for a tenant of the bench on plan free, timed. */
  static Response createTenant(AdminApi admin, String slug) {
    return admin.createTenant(slug, "Bench tenant " + slug, "free");
  }

  static String slug(int i) {
    return String.format(Locale.ROOT, "bench-%05d", i);
  }
}
