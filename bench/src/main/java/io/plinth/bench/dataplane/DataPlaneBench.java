package io.plinth.bench.dataplane;

import io.plinth.bench.dataplane.BenchTenants.BenchTenant;
import io.plinth.bench.dataplane.DataPlaneOptions.Group;
import io.plinth.bench.dataplane.DataPlaneReport.Reference;
import io.plinth.bench.report.MachineInfo;
import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.BenchMain;
import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.DataDir;
import io.plinth.bench.run.PlatformHttp;
import io.plinth.bench.run.Progress;
import io.plinth.tenantapi.TenantApiSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Data-plane benchmark: the whole platform in this JVM on a fresh data folder, one internal-plan
 * (no rate limit) tenant with a collection {@code items} seeded with 10,000 records, then wrk, in a
 * process of its own with C connections, runs each HTTP scenario for a warm-up and a measured
 * period, while this JVM's (the server's) and PostgreSQL's CPU are measured. A bare Vert.x endpoint
 * in the same JVM answering a fixed record-sized JSON document is the HTTP ceiling every scenario
 * is compared with; pgbench on the same PostgreSQL is the database's. The two-tenant
 * noisy-neighbour scenario runs two wrk processes at once, one per tenant. The platform's data
 * plane runs with the record cache on; a second data-plane node (same database and cluster) runs
 * with it off, so GET by id is measured both from a warm cache and from PostgreSQL. Run by {@code
 * bench/data-plane}; never part of {@code mvn verify}.
 *
 * <p>The groups of scenarios: {@link HttpScenarios}, {@link TenantSpread} and {@link
 * FleetMigrationScenario}, {@link NoisyNeighbours}, and pgbench's references here.
 */
public final class DataPlaneBench {

  static final int WRK_THREADS = 2;
  private static final int PGBENCH_SCALE = 10;

  private final DataPlaneOptions options;
  private final BenchPlatform platform =
      new BenchPlatform("data-plane", false).with(TenantApiSettings.RECORD_CACHE.key(), "true");
  private final PlatformHttp http = new PlatformHttp();
  private final AdminApi admin = new AdminApi(http, platform);
  private final BenchTenants tenants = new BenchTenants(http, admin, platform);
  private final Results results = new Results();
  private UncachedNode uncached;
  private BareEndpoint bare;
  private ScenarioRunner runner;

  private DataPlaneBench(DataPlaneOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchMain.main(
        "data-plane",
        DataPlaneOptions.USAGE,
        true,
        args,
        command -> {
          DataPlaneOptions options = DataPlaneOptions.parse(command);
          return () -> new DataPlaneBench(options).run();
        });
  }

  private int run() throws Exception {
    DataDir.requireAbsent(platform.dataDir());
    if (!Wrk.available()) {
      throw new IllegalStateException(
          "wrk is not installed (bench/data-plane installs it with apt-get install -y wrk)");
    }
    results.machine = MachineInfo.collect();
    try {
      measure();
    } finally {
      stop();
    }
    DataPlaneReport.of(results, options, runner.wrk().describe()).print(System.out);
    return results.errors() == 0 ? 0 : 1;
  }

  private void measure() throws Exception {
    Progress.say("starting the platform (data in " + platform.dataDir() + ")");
    long started = System.nanoTime();
    platform.start(Map.of());
    Progress.say(
        String.format(Locale.ROOT, "started in %.1f s", (System.nanoTime() - started) / 1e9));
    results.postgresVersion = platform.postgresVersion();
    BenchTenant main = tenants.setUp("bench-data-plane");
    int port = platform.dataPlanePort();
    uncached = UncachedNode.start(platform);
    bare = BareEndpoint.start(tenants.get(main.secretKey(), recordPath(main)));
    Path work = platform.dataDir().resolve("bench");
    runner = new ScenarioRunner(wrk(work, main), options, ScenarioRunner.postmasterPid(platform));

    results.bare =
        runner.scenario(
            "bare Vert.x endpoint (" + bare.length() + " B JSON)",
            Wrk.Script.BARE,
            bare.port(),
            0,
            Reference.BARE);
    if (options.runs(Group.HTTP)) {
      new HttpScenarios(runner, http, main, port, uncached.port()).run(results);
    }
    if (options.runs(Group.TENANTS)) {
      new TenantSpread(runner, tenants, main, work, port).run(results);
    }
    if (options.runs(Group.NOISY)) {
      results.neighbours = new NoisyNeighbours(runner, tenants, admin, main, work, port).run();
    }
    databaseReferences(work);
    if (options.runs(Group.TENANTS)) {
      results.provisioning.add(FleetMigrationScenario.run(platform, admin, runner, uncached));
    }
  }

  private static String recordPath(BenchTenant tenant) {
    return BenchTenants.RECORDS + "/" + tenant.ids().get(0);
  }

  /** The main wrk, its scripts reading the main tenant's key and ids. */
  private Wrk wrk(Path work, BenchTenant main) throws Exception {
    Path idsFile = work.resolve("ids.txt");
    Files.createDirectories(work);
    Files.write(idsFile, main.ids());
    return new Wrk(
        work.resolve("wrk"),
        WRK_THREADS,
        options.connections(),
        Map.of(
            "PLINTH_API_KEY",
            main.secretKey(),
            "PLINTH_PATH",
            BenchTenants.RECORDS,
            "PLINTH_IDS_FILE",
            idsFile.toString(),
            "PLINTH_BATCH",
            Integer.toString(HttpScenarios.BATCH)));
  }

  /** Group pgbench: PostgreSQL's own ceiling, select by key and a single-row insert. */
  private void databaseReferences(Path work) throws Exception {
    if (!options.runs(Group.PGBENCH)) {
      Progress.say("pgbench left out (--only)");
      return;
    }
    if (!Pgbench.available()) {
      Progress.say("pgbench not found: no database references");
      return;
    }
    Pgbench pgbench =
        new Pgbench(
            platform.postgres(), work.resolve("pgbench"), options.connections(), Progress::say);
    Progress.say("pgbench -i -s " + PGBENCH_SCALE + " in database " + Pgbench.DATABASE);
    pgbench.initialize(PGBENCH_SCALE);
    results.select =
        runner.measured(
            () ->
                pgbench.selectOnly(
                    "pgbench -S (select by key, scale " + PGBENCH_SCALE + ")",
                    options.durationSeconds()),
            Reference.BARE);
    results.insert =
        runner.measured(
            () ->
                pgbench.insertOne(
                    "pgbench -f: insert one row (collection-shaped table)",
                    options.durationSeconds()),
            Reference.BARE);
  }

  private void stop() throws Exception {
    Progress.say("stopping everything and deleting " + platform.dataDir());
    if (runner != null) {
      runner.close();
    }
    if (bare != null) {
      bare.close();
    }
    if (uncached != null) {
      uncached.close();
    }
    platform.stopAndDelete();
  }
}
