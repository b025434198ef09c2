package io.plinth.bench;

import io.plinth.bench.DataPlaneReport.Reference;
import io.plinth.bench.DataPlaneReport.Row;
import io.plinth.launcher.LocalPlatform;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.cluster.ClusterMember;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.config.Settings;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.server.PlinthMain;
import io.plinth.platform.server.PlinthNode;
import io.plinth.provisioning.ProvisioningSettings;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.tenantapi.TenantApiSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 */
public final class DataPlaneBench {

  private static final String USAGE =
      "usage: bench/data-plane [--duration-seconds S (default 15)] [--connections C (default 32)]"
          + " [--warmup-seconds W (default 5)] [--only GROUP,... (default all: "
          + String.join(",", Group.NAMES)
          + ")]";

  /** Parts of the run that --only can pick; the bare endpoint always runs (every ratio uses it). */
  enum Group {
    HTTP, // GET cold and warm, query, inserts, mix
    TENANTS, // GET over 1, 100, 1,000 tenants, provisioning them, the fleet migration
    NOISY, // two tenants as noisy neighbours
    PGBENCH; // the database references

    static final List<String> NAMES =
        java.util.Arrays.stream(values()).map(g -> g.name().toLowerCase(Locale.ROOT)).toList();

    static java.util.EnumSet<Group> parse(String list) {
      java.util.EnumSet<Group> out = java.util.EnumSet.noneOf(Group.class);
      for (String name : list.split(",")) {
        if (!NAMES.contains(name.trim())) {
          throw new IllegalArgumentException("--only: no group " + name + "; groups: " + NAMES);
        }
        out.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
      }
      return out;
    }
  }

  private static final int SEED = 10_000;
  private static final int SEED_BATCH = 1_000;
  private static final int BATCH = 100;
  private static final List<Integer> SPREADS = List.of(1, 100, 1_000);
  private static final int SPREAD_RECORDS = 10;
  private static final int PROVISIONING_IN_FLIGHT = 4;

  /**
   * The quiet tenant's clients each wait this long between requests (about 400 requests/s in all):
   * a tenant that asks little, as against one that runs flat out and is a load of its own.
   */
  private static final int QUIET_THINK_MS = 10;

  /**
   * Rounds of the quiet tenant alone and beside the flood: one p99 moves by 2 x from run to run on
   * a small shared machine, so the target compares the medians over the rounds.
   */
  private static final int NOISY_ROUNDS = 3;

  /** The noisy tenant's busy-time allowance per node: plan pro's. */
  private static final int NOISY_BUSY_MS =
      io.plinth.platform.registry.Plan.named("pro").orElseThrow().limits().busyMsPerSecond();

  private static final String RECORDS = "/v1/collections/items/records";
  private static final int WRK_THREADS = 2;
  private static final int PGBENCH_SCALE = 10;

  private final int durationSeconds;
  private final int connections;
  private final int warmupSeconds;
  private final Path dataDir;
  private final Map<String, String> settings = new HashMap<>();
  private final String operatorKey;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final AtomicLong sku = new AtomicLong();
  private final java.util.Set<Group> groups;
  private final List<String> ids = new ArrayList<>();
  private final Map<String, String> tenantKeys = new java.util.concurrent.ConcurrentHashMap<>();

  /** Provisioning 999 tenants and the fleet migration over them. */
  private final List<Row> provisioningRows = new ArrayList<>();

  private double warmHitRatio = Double.NaN;
  private LocalPlatform platform;
  private PlinthNode uncachedNode;
  private String secretKey;
  private Wrk wrk;
  private ProcessUsage usage;

  private DataPlaneBench(
      int durationSeconds, int connections, int warmupSeconds, java.util.Set<Group> groups) {
    this.groups = groups;
    this.durationSeconds = durationSeconds;
    this.connections = connections;
    this.warmupSeconds = warmupSeconds;
    this.dataDir = BenchSupport.newDataDir("data-plane");
    this.operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
    settings.putAll(BenchSupport.platformSettings(dataDir, operatorKey));
    settings.put(TenantApiSettings.RECORD_CACHE.key(), "true");
  }

  public static void main(String[] args) {
    int duration = 15;
    int connections = 32;
    int warmup = 5;
    java.util.Set<Group> groups = java.util.EnumSet.allOf(Group.class);
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--duration-seconds" -> duration = number(args, ++i, 1);
          case "--connections" -> connections = number(args, ++i, 1);
          case "--warmup-seconds" -> warmup = number(args, ++i, 0);
          case "--only" -> {
            if (++i >= args.length) {
              throw new IllegalArgumentException("--only needs a list of groups");
            }
            groups = Group.parse(args[i]);
          }
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("data-plane bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
    if (ConfigSource.ofProcess(Map.of(), Map.of()).isSet(Settings.DB_URL)) {
      System.err.println(
          "data-plane bench: runs on its own local PostgreSQL; unset PLINTH_DB_URL /"
              + " -Dplinth.db.url");
      System.exit(2);
    }
    BenchSupport.quietLogs();
    int status;
    try {
      status = new DataPlaneBench(duration, connections, warmup, groups).run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    PlinthMain.flushLogs();
    System.exit(status);
  }

  private static int number(String[] args, int i, int min) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a number");
    }
    try {
      int value = Integer.parseInt(args[i]);
      if (value < min) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          args[i - 1] + ": not a whole number >= " + min + ": " + args[i]);
    }
  }

  private int run() throws Exception {
    if (Files.exists(dataDir)) {
      throw new IllegalStateException(dataDir + " exists already; try again in a second");
    }
    if (!Wrk.available()) {
      throw new IllegalStateException(
          "wrk is not installed (bench/data-plane installs it with apt-get install -y wrk)");
    }
    Map<String, String> machine = MachineInfo.collect();
    String postgresVersion = "?";
    List<Row> rows = new ArrayList<>();
    Row bare;
    Row coldGet = null;
    Row warmGet = null;
    Row query = null;
    Row insertOne = null;
    Row select = null;
    Row insert = null;
    Neighbours neighbours = Neighbours.NONE;
    List<Row> spread = List.of();
    Vertx bareVertx = null;
    try {
      progress("starting the platform (data in " + dataDir + ")");
      long started = System.nanoTime();
      platform =
          LocalPlatform.start(
              new ConfigSource(settings, System.getProperties(), System.getenv(), Map.of()));
      progress(
          String.format(Locale.ROOT, "started in %.1f s", (System.nanoTime() - started) / 1e9));
      postgresVersion = postgresVersion();
      setUp();
      int port = platform.dataPlane().port();
      int uncachedPort = startUncachedNode();

      String sample = get(RECORDS + "/" + ids.get(0));
      Buffer document = Buffer.buffer(sample);
      bareVertx = Vertx.vertx();
      HttpServer server =
          bareVertx
              .createHttpServer()
              .requestHandler(
                  req -> req.response().putHeader("Content-Type", "application/json").end(document))
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);

      Path work = dataDir.resolve("bench");
      Path idsFile = work.resolve("ids.txt");
      Files.createDirectories(work);
      Files.write(idsFile, ids);
      wrk =
          new Wrk(
              work.resolve("wrk"),
              WRK_THREADS,
              connections,
              Map.of(
                  "PLINTH_API_KEY",
                  secretKey,
                  "PLINTH_PATH",
                  RECORDS,
                  "PLINTH_IDS_FILE",
                  idsFile.toString(),
                  "PLINTH_BATCH",
                  Integer.toString(BATCH)));
      usage = new ProcessUsage(postmasterPid());

      bare =
          scenario(
              "bare Vert.x endpoint (" + document.length() + " B JSON)",
              Wrk.Script.BARE,
              server.actualPort(),
              0,
              Reference.BARE);
      if (groups.contains(Group.HTTP)) {
        coldGet =
            scenario(
                "GET by id, cold (node with cache off)",
                Wrk.Script.GET_BY_ID,
                uncachedPort,
                0,
                Reference.SELECT);
        rows.add(coldGet);
        preload(port);
        double[] before = recordCacheGets(port);
        warmGet =
            scenario(
                "GET by id, warm cache (all ids preloaded)",
                Wrk.Script.GET_BY_ID,
                port,
                0,
                Reference.SELECT);
        rows.add(warmGet);
        double[] after = recordCacheGets(port);
        double hits = after[0] - before[0];
        double misses = after[1] - before[1];
        warmHitRatio = hits + misses == 0 ? Double.NaN : hits / (hits + misses);
        progress(String.format(Locale.ROOT, "  record cache hit ratio %.4f", warmHitRatio));
        query =
            scenario(
                "filtered query, order, limit 20", Wrk.Script.QUERY, port, 0, Reference.SELECT);
        rows.add(query);
        insertOne = scenario("insert one", Wrk.Script.INSERT_ONE, port, 1, Reference.INSERT);
        rows.add(insertOne);
        rows.add(
            scenario(
                "insert batch of " + BATCH,
                Wrk.Script.INSERT_BATCH,
                port,
                BATCH,
                Reference.INSERT));
        rows.add(scenario("90/10 read/write mix", Wrk.Script.MIX, port, 0, Reference.BARE));
      }
      if (groups.contains(Group.TENANTS)) {
        spread = spreadOverTenants(port);
        rows.addAll(spread);
      }
      if (groups.contains(Group.NOISY)) {
        neighbours = noisyNeighbours(port);
        rows.addAll(neighbours.rows());
      }
      if (!groups.contains(Group.PGBENCH)) {
        progress("pgbench left out (--only)");
      } else if (Pgbench.available()) {
        Pgbench pgbench =
            new Pgbench(
                platform.postgres().orElseThrow(),
                work.resolve("pgbench"),
                connections,
                DataPlaneBench::progress);
        progress("pgbench -i -s " + PGBENCH_SCALE + " in database " + Pgbench.DATABASE);
        pgbench.initialize(PGBENCH_SCALE);
        select =
            reference(
                () ->
                    pgbench.selectOnly(
                        "pgbench -S (select by key, scale " + PGBENCH_SCALE + ")",
                        durationSeconds));
        insert =
            reference(
                () ->
                    pgbench.insertOne(
                        "pgbench -f: insert one row (collection-shaped table)", durationSeconds));
      } else {
        progress("pgbench not found: no database references");
      }
      if (groups.contains(Group.TENANTS)) {
        provisioningRows.add(fleetMigration());
        rows.addAll(provisioningRows);
      }
    } finally {
      progress("stopping everything and deleting " + dataDir);
      if (usage != null) {
        usage.close();
      }
      if (bareVertx != null) {
        bareVertx.close().await(10, TimeUnit.SECONDS);
      }
      if (uncachedNode != null) {
        uncachedNode.stop().await(60, TimeUnit.SECONDS);
      }
      if (platform != null) {
        platform.stop();
      }
      BenchSupport.deleteRecursively(dataDir);
    }
    DataPlaneReport report = report(machine, postgresVersion, rows, bare, select, insert);
    if (warmGet != null) {
      report.target("GET by id, warm >= 0.5 x bare endpoint", warmGet, Reference.BARE, 0.5);
      report.target("GET by id, cold >= 0.5 x pgbench -S", coldGet, Reference.SELECT, 0.5);
      report.target("filtered query >= 0.5 x pgbench -S", query, Reference.SELECT, 0.5);
      report.target("insert one >= 0.5 x pgbench insert", insertOne, Reference.INSERT, 0.5);
    }
    if (!spread.isEmpty()) {
      double p99One = spread.get(0).result().p99();
      double p99All = spread.get(spread.size() - 1).result().p99();
      report.check(
          String.format(
              Locale.ROOT,
              "p99 over 1,000 tenants <= 1.2 x over 1: %s / %s ms = %.2f",
              ms(p99All),
              ms(p99One),
              p99All / p99One),
          p99All <= 1.2 * p99One);
      double rss = spread.get(spread.size() - 1).usage().rssMib();
      report.check(
          String.format(
              Locale.ROOT,
              "server RSS with 1,000 active tenants < 1 GiB: %.0f MiB (this JVM holds both planes)",
              rss),
          rss < 1024);
    }
    if (!neighbours.rows().isEmpty()) {
      double quietAlone = neighbours.quietAloneP99();
      double quietBeside = neighbours.quietBesideP99();
      report.check(
          String.format(
              Locale.ROOT,
              "noisy neighbours: the quiet tenant's p99 beside the flood <= 2 x alone (medians of"
                  + " %d rounds): %s / %s ms = %.2f (the flood's errors are its own 503"
                  + " tenant_busy)",
              NOISY_ROUNDS,
              ms(quietBeside),
              ms(quietAlone),
              quietBeside / quietAlone),
          quietBeside <= 2 * quietAlone);
    }
    report.print(System.out);
    List<ScenarioResult> floods = neighbours.floods();
    long errors =
        rows.stream()
                .map(Row::result)
                .filter(r -> !floods.contains(r))
                .mapToLong(ScenarioResult::errors)
                .sum()
            + bare.result().errors();
    return errors == 0 ? 0 : 1;
  }

  /** Runs one HTTP scenario with wrk: a warm-up run, not recorded, then the measured run. */
  private Row scenario(String name, Wrk.Script script, int port, int records, Reference reference)
      throws Exception {
    return scenario(wrk, name, script, port, records, reference, Map.of());
  }

  /** Like the one above, with more for the script to read. */
  private Row scenario(
      Wrk wrk,
      String name,
      Wrk.Script script,
      int port,
      int records,
      Reference reference,
      Map<String, String> environment)
      throws Exception {
    progress(
        String.format(
            Locale.ROOT,
            "%s: %s, %d s warm-up, %d s measured",
            name,
            wrk.describe(),
            warmupSeconds,
            durationSeconds));
    String url = "http://127.0.0.1:" + port + "/";
    if (warmupSeconds > 0) {
      wrk.run(name, script, url, warmupSeconds, records, environment);
    }
    ProcessUsage.Mark mark = usage.mark();
    ScenarioResult result = wrk.run(name, script, url, durationSeconds, records, environment);
    Row row = new Row(result, usage.since(mark), reference);
    printProgress(row);
    return row;
  }

  /**
   * The same GET by id spread over 1, 100 and 1,000 tenants with {@value #SPREAD_RECORDS} records
   * each, on the node with the record cache on: whether latency stays flat as tenants grow, and
   * what 1,000 active tenants cost the server in memory.
   */
  private List<Row> spreadOverTenants(int port) throws Exception {
    int more = SPREADS.get(SPREADS.size() - 1) - 1;
    progress(
        "creating "
            + more
            + " more tenants with "
            + SPREAD_RECORDS
            + " records each, 4 at a time (one line per 100)");
    List<String> lines = new ArrayList<>();
    lines.add(secretKey + " " + String.join(" ", ids.subList(0, SPREAD_RECORDS)));
    ExecutorService threads = Executors.newFixedThreadPool(PROVISIONING_IN_FLIGHT);
    try {
      // First the tenants alone, timed: provisioning at fleet scale is a scenario of its own.
      List<Callable<Long>> provisions = new ArrayList<>();
      List<String> slugs = new ArrayList<>();
      for (int i = 1; i <= more; i++) {
        String slug = String.format(Locale.ROOT, "bench-spread-%04d", i);
        boolean announce = i % 100 == 0;
        slugs.add(slug);
        provisions.add(
            () -> {
              long started = System.nanoTime();
              createTenant(slug, announce);
              return System.nanoTime() - started;
            });
      }
      ProcessUsage.Mark mark = usage.mark();
      long started = System.nanoTime();
      List<java.util.concurrent.Future<Long>> timed = threads.invokeAll(provisions);
      double wall = (System.nanoTime() - started) / 1e9;
      double[] latencies = new double[timed.size()];
      for (int i = 0; i < latencies.length; i++) {
        latencies[i] = timed.get(i).get() / 1e6;
      }
      Row provisioning =
          new Row(
              ScenarioResult.of(
                  String.format(
                      Locale.ROOT,
                      "provisioning %,d tenants, %d in flight (schema, migrations, keys)",
                      more,
                      PROVISIONING_IN_FLIGHT),
                  latencies,
                  wall),
              usage.since(mark),
              Reference.NONE);
      printProgress(provisioning);
      provisioningRows.add(provisioning);

      List<Callable<String>> fills = new ArrayList<>();
      for (String slug : slugs) {
        fills.add(
            () -> {
              BenchTenant tenant = fillTenant(slug, SPREAD_RECORDS, false);
              return tenant.secretKey() + " " + String.join(" ", tenant.ids());
            });
      }
      progress("adding a collection and " + SPREAD_RECORDS + " records to each");
      for (java.util.concurrent.Future<String> filled : threads.invokeAll(fills)) {
        lines.add(filled.get());
      }
    } finally {
      threads.shutdown();
    }
    Path file = dataDir.resolve("bench").resolve("spread.txt");
    Files.write(file, lines);
    List<Row> out = new ArrayList<>();
    for (int tenants : SPREADS) {
      out.add(
          scenario(
              wrk,
              String.format(Locale.ROOT, "GET by id over %,d tenant(s)", tenants),
              Wrk.Script.GET_SPREAD,
              port,
              0,
              Reference.SELECT,
              Map.of(
                  "PLINTH_SPREAD_FILE",
                  file.toString(),
                  "PLINTH_TENANTS",
                  String.valueOf(tenants))));
    }
    return out;
  }

  /** A measured run of a tool other than wrk, with the server's and PostgreSQL's CPU around it. */
  private Row reference(Callable<ScenarioResult> run) throws Exception {
    ProcessUsage.Mark mark = usage.mark();
    ScenarioResult result = run.call();
    Row row = new Row(result, usage.since(mark), Reference.BARE);
    printProgress(row);
    return row;
  }

  private static void printProgress(Row row) {
    ScenarioResult r = row.result();
    // Without its transaction log pgbench gives an average only.
    String latency =
        !Double.isNaN(r.p50())
            ? "p50 " + ms(r.p50()) + " ms, p99 " + ms(r.p99()) + " ms"
            : !Double.isNaN(r.avg()) ? "avg " + ms(r.avg()) + " ms" : "no latencies";
    progress(
        String.format(
            Locale.ROOT,
            "  %.0f req/s, %s, %d errors; CPU: server %.2f, generator %.2f, PostgreSQL %.2f",
            r.requestsPerSecond(),
            latency,
            r.errors(),
            row.usage().serverCores(),
            row.usage().generatorCores(),
            row.usage().postgresCores()));
    r.errorSamples().forEach(s -> progress("  e.g. " + s));
  }

  /**
   * Two tenants on one node, each driven by a wrk process of its own: a quiet one whose four
   * clients read records by id with a pause between requests, measured alone and then beside a
   * noisy one flooding the node with 64 requests in flight of table scans ({@code count=exact} over
   * an unindexed filter) and batch inserts, in {@value #NOISY_ROUNDS} rounds after an unmeasured
   * flood and an unmeasured quiet run. The flood queues behind its own bulkhead and busy-time
   * allowance (plan pro's, lowered by the node's ceiling while its event loops run late: ADRs 0012,
   * 0013), and past its queue gets 503 {@code tenant_busy}, instead of taking the node and the
   * database.
   */
  private Neighbours noisyNeighbours(int port) throws Exception {
    BenchTenant noisy = setUpTenant("bench-noisy");
    // Plan internal has no busy-time limit; the noisy tenant gets plan pro's, without pro's rate
    // limits (wrk does not honour Retry-After: 429s would become a flood of their own).
    progress("limiting bench-noisy to " + NOISY_BUSY_MS + " ms busy time a second (plan pro's)");
    expect(
        200,
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + platform.controlPlane().port()
                        + "/admin/v1/tenants/bench-noisy"))
            .header("Authorization", "Bearer " + operatorKey)
            .header("Content-Type", "application/json")
            .method(
                "PATCH",
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject()
                        .put("limits", new JsonObject().put("busyMsPerSecond", NOISY_BUSY_MS))
                        .encode())));
    int quietInFlight = 4;
    int floodInFlight = 64;
    Path work = dataDir.resolve("bench");
    Wrk quiet =
        new Wrk(
            work.resolve("wrk-quiet"),
            1,
            quietInFlight,
            Map.of(
                "PLINTH_API_KEY",
                secretKey,
                "PLINTH_PATH",
                RECORDS,
                "PLINTH_IDS_FILE",
                work.resolve("ids.txt").toString(),
                "PLINTH_THINK_MS",
                Integer.toString(QUIET_THINK_MS)));
    Wrk flood =
        new Wrk(
            work.resolve("wrk-flood"),
            WRK_THREADS,
            floodInFlight,
            Map.of(
                "PLINTH_API_KEY", noisy.secretKey(),
                "PLINTH_PATH", RECORDS,
                "PLINTH_BATCH", Integer.toString(BATCH)));
    String url = "http://127.0.0.1:" + port + "/";
    String floodName =
        "noisy tenant: scans + batches of " + BATCH + ", " + floodInFlight + " in flight";
    // A first flood, unmeasured, so the JIT has compiled the flood's paths before the quiet tenant
    // is measured alone; otherwise the compiler's threads would count against the flood.
    if (warmupSeconds > 0) {
      progress(floodName + ": warming up for " + 2 * warmupSeconds + " s");
      flood.run(floodName, Wrk.Script.NOISY, url, 2 * warmupSeconds, BATCH);
      Thread.sleep(2_000);
    }
    String quietName =
        String.format(
            Locale.ROOT,
            "quiet tenant: GET by id, %d clients pausing %d ms",
            quietInFlight,
            QUIET_THINK_MS);
    // The quiet tenant too, unmeasured, for as long as a record stays cached: otherwise its first
    // run alone compiles its path and fills the record cache, and its solo p99 comes out higher
    // than it is in the rounds after (which made the ratio look better than it was).
    if (warmupSeconds > 0) {
      progress(quietName + ": warming up for " + ClusterMember.RECORDS_TTL_SECONDS + " s");
      quiet.run(
          quietName, Wrk.Script.GET_BY_ID, url, ClusterMember.RECORDS_TTL_SECONDS, 0, Map.of());
    }
    List<Row> rows = new ArrayList<>();
    List<Double> alone = new ArrayList<>();
    List<Double> beside = new ArrayList<>();
    List<ScenarioResult> floods = new ArrayList<>();
    for (int round = 1; round <= NOISY_ROUNDS; round++) {
      String of = " (round " + round + " of " + NOISY_ROUNDS + ")";
      Row quietAlone =
          scenario(
              quiet,
              quietName + ", alone" + of,
              Wrk.Script.GET_BY_ID,
              port,
              0,
              Reference.BARE,
              Map.of());
      // The flood runs through the quiet tenant's warm-up and measured run and a second longer,
      // so the quiet tenant's whole measurement lies inside it. Its own row is its whole run.
      progress(floodName + of + ": starts");
      ProcessUsage.Mark floodMark = usage.mark();
      CompletableFuture<ScenarioResult> flooding =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return flood.run(
                      floodName + of,
                      Wrk.Script.NOISY,
                      url,
                      warmupSeconds + durationSeconds + 2,
                      BATCH);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(1_000);
      Row quietBeside =
          scenario(
              quiet,
              quietName + ", beside the flood" + of,
              Wrk.Script.GET_BY_ID,
              port,
              0,
              Reference.BARE,
              Map.of());
      Row floodRow = new Row(flooding.get(), usage.since(floodMark), Reference.BARE);
      printProgress(floodRow);
      rows.add(quietAlone);
      rows.add(quietBeside);
      rows.add(floodRow);
      alone.add(quietAlone.result().p99());
      beside.add(quietBeside.result().p99());
      floods.add(floodRow.result());
      Thread.sleep(3_000); // the flood's queued requests drain before the next alone run
    }
    return new Neighbours(rows, median(alone), median(beside), floods);
  }

  /**
   * The noisy-neighbour rounds: every row, the medians of the quiet tenant's p99 alone and beside
   * the flood over the rounds, and the flood's own results (its errors are its own 503s).
   */
  private record Neighbours(
      List<Row> rows, double quietAloneP99, double quietBesideP99, List<ScenarioResult> floods) {
    static final Neighbours NONE = new Neighbours(List.of(), Double.NaN, Double.NaN, List.of());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * Restarts the platform with one more tenant migration (a table and an index) and migrates every
   * tenant schema through the admin API: the same command's fleet migration over 1,000 tenants.
   */
  private Row fleetMigration() throws Exception {
    progress("fleet migration: restarting with " + FleetMigration.BENCH_LOCATIONS);
    if (uncachedNode != null) {
      uncachedNode.stop().await(60, TimeUnit.SECONDS);
      uncachedNode = null;
    }
    usage.close();
    platform.stop();
    platform = null;
    Map<String, String> more = new HashMap<>(settings);
    more.put(ProvisioningSettings.TENANT_MIGRATION_LOCATIONS.key(), FleetMigration.BENCH_LOCATIONS);
    platform =
        LocalPlatform.start(
            new ConfigSource(more, System.getProperties(), System.getenv(), Map.of()));
    usage = new ProcessUsage(postmasterPid());
    ProcessUsage.Mark mark = usage.mark();
    FleetMigration.Result migrated =
        FleetMigration.run(
            http,
            "http://127.0.0.1:" + platform.controlPlane().port(),
            operatorKey,
            DataPlaneBench::progress);
    Row row =
        new Row(
            new ScenarioResult(
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
                migrated.failures()),
            usage.since(mark),
            Reference.NONE);
    printProgress(row);
    return row;
  }

  /**
   * A second data-plane node on the platform's database and cluster, with the record cache off:
   * every GET by id on it reads PostgreSQL.
   */
  private int startUncachedNode() throws Exception {
    progress("starting a second data-plane node with the record cache off");
    LocalPostgres pg = platform.postgres().orElseThrow();
    Map<String, String> overrides = new HashMap<>();
    overrides.put(Settings.DB_URL.key(), pg.uri("plinth"));
    overrides.put(Settings.DB_USER.key(), pg.user());
    overrides.put(Settings.HTTP_HOST.key(), "127.0.0.1");
    overrides.put(Settings.HTTP_PORT.key(), "0");
    overrides.put(TenantApiSettings.RECORD_CACHE.key(), "false");
    TenantApiService service = new TenantApiService();
    ConfigSource source =
        new ConfigSource(settings, System.getProperties(), System.getenv(), Map.of())
            .with(overrides, service.defaults());
    uncachedNode =
        PlinthNode.start(service, PlinthConfig.load(source)).await(120, TimeUnit.SECONDS);
    return uncachedNode.port();
  }

  /**
   * Reads every seeded record once on the node with the cache on, 16 at a time. Blocking sends on
   * threads of its own: the HTTP client's asynchronous sends start a thread per response here
   * (CompletableFuture's default executor on a machine of 2 cores), which would blur a profile.
   */
  private void preload(int port) throws InterruptedException {
    progress("preloading the record cache: " + ids.size() + " GETs");
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> reads = new ArrayList<>();
      for (String id : ids) {
        reads.add(
            () ->
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + RECORDS + "/" + id))
                            .header("apikey", secretKey)
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode());
      }
      long failed = 0;
      for (java.util.concurrent.Future<Integer> read : threads.invokeAll(reads)) {
        try {
          failed += read.get() == 200 ? 0 : 1;
        } catch (ExecutionException e) {
          failed++;
        }
      }
      if (failed > 0) {
        throw new IllegalStateException(failed + " preloading GETs failed");
      }
    } finally {
      threads.shutdown();
    }
  }

  private static final Pattern RECORD_CACHE_GETS =
      Pattern.compile(
          "plinth_cache_gets_total\\{[^}]*cache=\"plinth.records\"[^}]*result=\"(hit|miss)\"[^}]*\\}"
              + " ([0-9.E+]+)");

  /** The node's record-cache hits and misses so far, from its /metrics. */
  private double[] recordCacheGets(int port) {
    String metrics =
        expect(
            200, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET());
    double[] counts = new double[2];
    Matcher m = RECORD_CACHE_GETS.matcher(metrics);
    while (m.find()) {
      counts["hit".equals(m.group(1)) ? 0 : 1] = Double.parseDouble(m.group(2));
    }
    return counts;
  }

  private JsonObject record() {
    long n = sku.incrementAndGet();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new JsonObject()
        .put("title", "Bench item " + n)
        .put("price", Math.round(random.nextDouble(0, 100) * 100) / 100.0)
        .put("qty", random.nextInt(1000))
        .put("sku", "sku-" + n);
  }

  // ---------------------------------------------------------------- set-up over HTTP

  /** A tenant of the bench: its secret key and the ids of its seeded records. */
  private record BenchTenant(String secretKey, List<String> ids) {}

  private void setUp() {
    BenchTenant main = setUpTenant("bench-data-plane");
    secretKey = main.secretKey();
    ids.addAll(main.ids());
  }

  private BenchTenant setUpTenant(String slug) {
    return setUpTenant(slug, SEED, true);
  }

  /** A tenant on plan internal with collection {@code items} and {@code records} records. */
  private BenchTenant setUpTenant(String slug, int records, boolean announce) {
    createTenant(slug, announce);
    return fillTenant(slug, records, announce);
  }

  /** Creates a tenant on plan internal (no rate limit) and remembers its secret key. */
  private void createTenant(String slug, boolean announce) {
    java.util.function.Consumer<String> say = announce ? DataPlaneBench::progress : m -> {};
    say.accept("creating tenant " + slug + " (plan internal: no rate limit)");
    String controlUrl = "http://127.0.0.1:" + platform.controlPlane().port();
    JsonObject tenant =
        new JsonObject().put("slug", slug).put("name", "Data-plane bench").put("plan", "internal");
    JsonObject created =
        new JsonObject(
            expect(
                201,
                HttpRequest.newBuilder(URI.create(controlUrl + "/admin/v1/tenants"))
                    .header("Authorization", "Bearer " + operatorKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(tenant.encode()))));
    String key = null;
    for (Object k : created.getJsonArray("keys")) {
      JsonObject candidate = (JsonObject) k;
      if ("secret".equals(candidate.getString("kind"))) {
        key = candidate.getString("key");
      }
    }
    if (key == null) {
      throw new IllegalStateException("no secret key in " + created.encode());
    }
    tenantKeys.put(slug, key);
  }

  /** Gives a created tenant collection {@code items} with {@code records} records. */
  private BenchTenant fillTenant(String slug, int records, boolean announce) {
    java.util.function.Consumer<String> say = announce ? DataPlaneBench::progress : m -> {};
    String key = tenantKeys.get(slug);

    say.accept("creating collection items");
    JsonObject collection =
        new JsonObject()
            .put("name", "items")
            .put(
                "fields",
                new JsonArray()
                    .add(field("title", "text").put("required", true))
                    .add(field("price", "number").put("indexed", true))
                    .add(field("qty", "integer"))
                    .add(field("sku", "text").put("unique", true)))
            .put("rules", new JsonObject().put("read", "public").put("write", "secret"));
    post(key, "/v1/collections", collection.encode());

    say.accept("seeding " + records + " records in batches of up to " + SEED_BATCH);
    List<String> seeded = new ArrayList<>();
    while (seeded.size() < records) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < Math.min(SEED_BATCH, records - seeded.size()); i++) {
        batch.add(record());
      }
      for (Object item : new JsonArray(post(key, RECORDS, batch.encode()))) {
        seeded.add(((JsonObject) item).getString("id"));
      }
    }
    return new BenchTenant(key, seeded);
  }

  private static JsonObject field(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  private String dataUrl(String path) {
    return "http://127.0.0.1:" + platform.dataPlane().port() + path;
  }

  private String post(String key, String path, String json) {
    return expect(
        201,
        HttpRequest.newBuilder(URI.create(dataUrl(path)))
            .header("apikey", key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private String get(String path) {
    return expect(
        200, HttpRequest.newBuilder(URI.create(dataUrl(path))).header("apikey", secretKey).GET());
  }

  private String expect(int status, HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(120)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != status) {
        throw new IllegalStateException(
            request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private String postgresVersion() {
    try {
      LocalPostgres pg = platform.postgres().orElseThrow();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("plinth"), pg.user(), "");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT version()")) {
        rs.next();
        return rs.getString(1);
      }
    } catch (Exception e) {
      return "? (" + e.getMessage() + ")";
    }
  }

  // ---------------------------------------------------------------- report

  private DataPlaneReport report(
      Map<String, String> machine,
      String postgresVersion,
      List<Row> rows,
      Row bare,
      Row select,
      Row insert) {
    String title =
        String.format(
            Locale.ROOT,
            "Data plane: %s (%d in flight), %d s warm-up + %d s measured per scenario; latency in"
                + " ms; CPU in cores",
            wrk.describe(),
            connections,
            warmupSeconds,
            durationSeconds);
    DataPlaneReport report = new DataPlaneReport(machine, title, rows, bare, select, insert);
    report.info("PostgreSQL", postgresVersion);
    report.info(
        "note",
        "server, PostgreSQL and wrk share the machine's "
            + Runtime.getRuntime().availableProcessors()
            + " cores");
    report.note(
        String.format(
            Locale.ROOT,
            "(%d records seeded; the bare endpoint answers a fixed copy of one record; every"
                + " scenario but the cold GET runs on the node with the record cache on; warm GET"
                + " hit ratio %.4f)",
            SEED,
            warmHitRatio));
    report.note(
        "(CPU in cores over the measured run: srv = this JVM, the server's; gen = wrk's or"
            + " pgbench's, counted when the process ends, so the quiet tenant's row beside the flood"
            + " has its own wrk's only and the flood's row covers its whole run; pg = PostgreSQL's processes."
            + " RSS: this JVM's at the run's end. vs pgbench: req/s, records/s for the batch, over"
            + " the pgbench reference's tps; pgbench percentiles from a 10% sample of its"
            + " transaction log)");
    return report;
  }

  /** PostgreSQL's main process: the parent of a session's backend. */
  private long postmasterPid() {
    LocalPostgres pg = platform.postgres().orElseThrow();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("plinth"), pg.user(), "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      String stat = Files.readString(Path.of("/proc", Integer.toString(rs.getInt(1)), "stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    } catch (Exception e) {
      progress("no PostgreSQL CPU figures: " + e.getMessage());
      return -1;
    }
  }

  private static String ms(double ms) {
    return DataPlaneReport.ms(ms);
  }

  private static void progress(String message) {
    System.out.println("[bench] " + message);
    System.out.flush();
  }
}
