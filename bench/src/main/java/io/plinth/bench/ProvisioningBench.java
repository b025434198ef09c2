package io.plinth.bench;

import io.plinth.launcher.LocalPlatform;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.Settings;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.server.PlinthMain;
import io.plinth.provisioning.ProvisioningSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Provisioning benchmark: the whole platform in this JVM on a fresh data folder, driven over HTTP
 * through the admin API. Creates N tenants with C requests in flight, times list and get with few
 * and with many tenants, restarts with one more tenant migration and runs it over the fleet, then
 * prints one table with every figure and the PostgreSQL catalog's size. Run by {@code
 * bench/provisioning}; never part of {@code mvn verify}.
 */
public final class ProvisioningBench {

  private static final String ADMIN = "/admin/v1";
  private static final int SAMPLES = 200;
  private static final int WARM_UP = 1000; // requests before each baseline sample
  private static final int PAGE = 50;
  private static final int EDGE = 100; // the first and the last creates, reported apart
  private static final int MIGRATION_PARALLELISM = 4;

  private final int tenants;
  private final int concurrency;
  private final Path dataDir;
  private final String operatorKey;
  private final Map<String, String> settings = new HashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Report report = new Report();
  private LocalPlatform platform;
  private String baseUrl;

  private ProvisioningBench(int tenants, int concurrency) {
    this.tenants = tenants;
    this.concurrency = concurrency;
    this.dataDir = BenchSupport.newDataDir("provisioning");
    this.operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
    settings.putAll(BenchSupport.platformSettings(dataDir, operatorKey));
  }

  public static void main(String[] args) {
    int tenants = 1000;
    int concurrency = 4;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--tenants" -> tenants = positive(args, ++i);
          case "--concurrency" -> concurrency = positive(args, ++i);
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (tenants > 99_999) {
        throw new IllegalArgumentException("--tenants is at most 99999");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("provisioning bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
    ConfigSource process = ConfigSource.ofProcess(Map.of(), Map.of());
    if (process.isSet(Settings.DB_URL)) {
      System.err.println(
          "provisioning bench: runs on its own local PostgreSQL; unset PLINTH_DB_URL /"
              + " -Dplinth.db.url");
      System.exit(2);
    }
    BenchSupport.quietLogs();
    int status;
    try {
      status = new ProvisioningBench(tenants, concurrency).run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    PlinthMain.flushLogs();
    System.exit(status);
  }

  private static final String USAGE =
      "usage: bench/provisioning [--tenants N (default 1000)] [--concurrency C (default 4)]";

  private static int positive(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a number");
    }
    try {
      int value = Integer.parseInt(args[i]);
      if (value < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i - 1] + ": not a positive whole number: " + args[i]);
    }
  }

  private int run() throws Exception {
    if (Files.exists(dataDir)) {
      throw new IllegalStateException(dataDir + " exists already; try again in a second");
    }
    int errors;
    try {
      report.machine = MachineInfo.collect();
      progress(
          "starting the platform (data in "
              + dataDir
              + ", "
              + tenants
              + " tenants, "
              + concurrency
              + " in flight)");
      long started = System.nanoTime();
      start(Map.of());
      report.coldStart = seconds(System.nanoTime() - started);

      // Before: list with no tenant, get with one. Each after a warm-up, so the JIT is not timed.
      time(WARM_UP, this::listRequests);
      report.listBefore = Stats.of(time(SAMPLES, this::listRequests));
      int baselineStatus = createTenant(slug(0)).status;
      if (baselineStatus != 201) {
        throw new IllegalStateException("creating " + slug(0) + " answered " + baselineStatus);
      }
      List<String> baseline = List.of(slug(0));
      time(WARM_UP, getRequests(baseline));
      report.getBefore = Stats.of(time(SAMPLES, getRequests(baseline)));
      report.catalog.put("1 tenant", catalog());

      createPhase();

      List<String> all = new ArrayList<>();
      for (int i = 0; i <= tenants; i++) {
        all.add(slug(i));
      }
      report.walkedTenants = walkAll();
      report.listAfter = Stats.of(time(SAMPLES, this::listRequests));
      report.getAfter = Stats.of(time(SAMPLES, getRequests(all)));
      report.catalog.put((tenants + 1) + " tenants", catalog());

      migrationPhase();
      report.catalog.put("after migration", catalog());
      report.postgresVersion = query("SELECT version()");
    } finally {
      progress("stopping the platform and deleting " + dataDir);
      if (platform != null) {
        platform.stop();
      }
      BenchSupport.deleteRecursively(dataDir);
    }
    errors = report.createErrors + report.requestErrors.get() + (int) report.migrationFailed;
    report.print(System.out, tenants, concurrency);
    return errors == 0 ? 0 : 1;
  }

  private void start(Map<String, String> more) {
    Map<String, String> overrides = new HashMap<>(settings);
    overrides.putAll(more);
    platform =
        LocalPlatform.start(
            new ConfigSource(overrides, System.getProperties(), System.getenv(), Map.of()));
    baseUrl = "http://127.0.0.1:" + platform.controlPlane().port();
  }

  // ---------------------------------------------------------------- create

  private void createPhase() throws Exception {
    progress("create: " + tenants + " tenants, " + concurrency + " in flight");
    long[] latencies = new long[tenants];
    AtomicInteger next = new AtomicInteger(1);
    AtomicInteger finished = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    int step = Math.max(1, tenants / 10);
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    long started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        running.add(
            workers.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i <= tenants; i = next.getAndIncrement()) {
                    Response response = createTenant(slug(i));
                    latencies[i - 1] = response.nanos;
                    if (response.status != 201) {
                      failed.incrementAndGet();
                      if (failures.size() < 5) {
                        failures.add(slug(i) + ": " + response.status + " " + response.body);
                      }
                    }
                    int done = finished.incrementAndGet();
                    if (done % step == 0 || done == tenants) {
                      progress(
                          String.format(
                              Locale.ROOT,
                              "create: %d/%d (%.1f s)",
                              done,
                              tenants,
                              seconds(System.nanoTime() - started)));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      workers.shutdownNow();
    }
    report.createWall = seconds(System.nanoTime() - started);
    report.createLatencies = latencies;
    report.createErrors = failed.get();
    report.createFailures.addAll(failures);
  }

  private Response createTenant(String slug) {
    JsonObject body =
        new JsonObject().put("slug", slug).put("name", "Bench tenant " + slug).put("plan", "free");
    return send(
        request(ADMIN + "/tenants")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build());
  }

  // ---------------------------------------------------------------- list and get

  private String after; // the list walk's cursor, null at the start

  /** One GET of the tenant list, following the cursor and starting over after the last page. */
  private Response listRequests() {
    Response response =
        send(
            request(ADMIN + "/tenants?limit=" + PAGE + (after == null ? "" : "&after=" + after))
                .GET()
                .build());
    expect(response, 200);
    after = response.status == 200 ? new JsonObject(response.body).getString("next") : null;
    return response;
  }

  private Timed getRequests(List<String> slugs) {
    Random random = new Random(42);
    return () -> {
      Response response =
          send(
              request(ADMIN + "/tenants/" + slugs.get(random.nextInt(slugs.size()))).GET().build());
      expect(response, 200);
      return response;
    };
  }

  /** Walks every page once from the start; returns how many tenants it saw. */
  private int walkAll() {
    after = null;
    int seen = 0;
    do {
      Response response = listRequests();
      if (response.status != 200) {
        return -1;
      }
      JsonArray items = new JsonObject(response.body).getJsonArray("items");
      seen += items.size();
    } while (after != null);
    return seen;
  }

  private long[] time(int count, Timed timed) {
    after = null;
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      nanos[i] = timed.call().nanos;
    }
    return nanos;
  }

  @FunctionalInterface
  private interface Timed {
    Response call();
  }

  // ---------------------------------------------------------------- fleet migration

  private void migrationPhase() throws Exception {
    progress("fleet migration: restarting with classpath:db/tenant-bench");
    long stopping = System.nanoTime();
    platform.stop();
    platform = null;
    report.stop = seconds(System.nanoTime() - stopping);
    long starting = System.nanoTime();
    start(
        Map.of(
            ProvisioningSettings.TENANT_MIGRATION_LOCATIONS.key(),
            FleetMigration.BENCH_LOCATIONS,
            ProvisioningSettings.MIGRATION_PARALLELISM.key(),
            String.valueOf(MIGRATION_PARALLELISM)));
    report.restart = seconds(System.nanoTime() - starting);

    FleetMigration.Result result =
        FleetMigration.run(http, baseUrl, operatorKey, ProvisioningBench::progress);
    report.migrationWall = result.wallSeconds();
    report.migrationServer = result.serverSeconds();
    report.migrationTotal = result.total();
    report.migrationDone = result.done();
    report.migrationFailed = result.failed();
    report.migrationParallelism = result.parallelism();
    report.migrationFailures.addAll(result.failures());
  }

  // ---------------------------------------------------------------- HTTP

  private record Response(int status, String body, String location, long nanos) {}

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + operatorKey);
  }

  private Response send(HttpRequest request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Location").orElse(null),
          System.nanoTime() - started);
    } catch (IOException e) {
      return new Response(-1, e.toString(), null, System.nanoTime() - started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void expect(Response response, int status) {
    if (response.status != status) {
      if (report.requestErrors.incrementAndGet() <= 5) {
        progress("unexpected " + response.status + ": " + response.body);
      }
    }
  }

  // ---------------------------------------------------------------- PostgreSQL and machine

  /** The catalog's figures, on one connection of our own (it counts as one session). */
  private Catalog catalog() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      Catalog catalog;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_namespace),"
                  + " pg_size_pretty(pg_database_size('plinth')),"
                  + " pg_size_pretty(pg_total_relation_size('pg_class')"
                  + " + pg_total_relation_size('pg_attribute')"
                  + " + pg_total_relation_size('pg_index'))")) {
        rs.next();
        catalog = new Catalog(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), -1);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT sessions FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        // Sessions ever opened on the database (PostgreSQL 14+; the statistics lag by < 1 s).
        return new Catalog(
            catalog.pgClass(),
            catalog.pgNamespace(),
            catalog.databaseSize(),
            catalog.catalogSize(),
            rs.getLong(1));
      } catch (SQLException e) {
        return catalog; // older PostgreSQL: no session count
      }
    }
  }

  private String query(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Connection connect() throws SQLException {
    LocalPostgres pg =
        platform
            .postgres()
            .orElseThrow(() -> new IllegalStateException("no local PostgreSQL is running"));
    return DriverManager.getConnection(pg.jdbcUrl("plinth"), pg.user(), "");
  }

  // ---------------------------------------------------------------- helpers and report

  private static String slug(int i) {
    return String.format(Locale.ROOT, "bench-%05d", i);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void progress(String message) {
    System.out.println("[bench] " + message);
    System.out.flush();
  }

  /** Latency figures of a sample, in milliseconds (nearest-rank percentiles). */
  record Stats(int count, double p50, double p90, double p99, double max) {

    static Stats of(long[] nanos) {
      return of(nanos, 0, nanos.length);
    }

    static Stats of(long[] nanos, int from, int to) {
      long[] sorted = Arrays.copyOfRange(nanos, from, to);
      Arrays.sort(sorted);
      return new Stats(
          sorted.length,
          rank(sorted, 0.50),
          rank(sorted, 0.90),
          rank(sorted, 0.99),
          sorted[sorted.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, double p) {
      int index = (int) Math.ceil(p * sorted.length) - 1;
      return sorted[Math.max(0, index)] / 1e6;
    }
  }

  record Catalog(
      long pgClass, long pgNamespace, String databaseSize, String catalogSize, long sessions) {}

  /** Every figure of a run, and how to print it. */
  private static final class Report {
    Map<String, String> machine = Map.of();
    String postgresVersion = "?";
    double coldStart;
    double stop;
    double restart;
    double createWall;
    long[] createLatencies = new long[0];
    int createErrors;
    final List<String> createFailures = new ArrayList<>();
    final AtomicInteger requestErrors = new AtomicInteger();
    Stats listBefore;
    Stats getBefore;
    Stats listAfter;
    Stats getAfter;
    int walkedTenants;
    double migrationWall;
    double migrationServer;
    long migrationTotal;
    long migrationDone;
    long migrationFailed;
    int migrationParallelism;
    final List<String> migrationFailures = new ArrayList<>();
    final Map<String, Catalog> catalog = new LinkedHashMap<>();

    void print(java.io.PrintStream out, int tenants, int concurrency) {
      TextTable t = new TextTable();
      t.section("Machine");
      machine.forEach(t::row);
      t.row("PostgreSQL", postgresVersion);

      t.section("Platform (in-process: local PostgreSQL, control plane, data plane)");
      t.row("cold start (initdb, both nodes)", secs(coldStart));
      t.row("stop", secs(stop));
      t.row("restart (existing data)", secs(restart));

      t.section(
          "Create "
              + tenants
              + " tenants: POST /admin/v1/tenants, "
              + concurrency
              + " in flight (1 tenant existed)");
      t.row("wall time", secs(createWall));
      t.row("tenants/s", String.format(Locale.ROOT, "%.1f", tenants / createWall));
      t.row("errors (not 201)", String.valueOf(createErrors));
      createFailures.forEach(f -> t.row("  e.g.", f));
      List<Catalog> snapshots = new ArrayList<>(catalog.values());
      t.row("PostgreSQL sessions opened per create", perTenant(snapshots, 0, tenants));
      t.header("latency per create (ms)", "n", "p50", "p90", "p99", "max");
      int n = createLatencies.length;
      t.stats("all creates", Stats.of(createLatencies));
      int edge = Math.min(EDGE, n);
      t.stats("first " + edge, Stats.of(createLatencies, 0, edge));
      t.stats("last " + edge, Stats.of(createLatencies, n - edge, n));
      int slices = Math.min(10, n);
      for (int s = 0; s < slices; s++) {
        int from = (int) ((long) n * s / slices);
        int to = (int) ((long) n * (s + 1) / slices);
        t.stats(
            String.format(Locale.ROOT, "  creates %d-%d", from + 1, to),
            Stats.of(createLatencies, from, to));
      }

      t.section(
          "List and get, one request at a time ("
              + SAMPLES
              + " each; the 0 and 1 tenant rows after "
              + WARM_UP
              + " warm-up requests each)");
      t.header("latency (ms)", "n", "p50", "p90", "p99", "max");
      t.stats("GET /tenants?limit=50, 0 tenants", listBefore);
      t.stats("GET /tenants?limit=50, " + (tenants + 1) + " tenants", listAfter);
      t.stats("GET /tenants/{slug}, 1 tenant", getBefore);
      t.stats("GET /tenants/{slug}, " + (tenants + 1) + " tenants", getAfter);
      t.row(
          "tenants seen walking every page",
          walkedTenants + " of " + (tenants + 1) + (walkedTenants == tenants + 1 ? "" : "  (!)"));
      t.row("unexpected answers (list, get)", String.valueOf(requestErrors.get()));

      t.section(
          "Fleet migration: V2 (table + index) into every tenant schema, parallelism "
              + migrationParallelism);
      t.row("wall time (POST to completed, 200 ms polls)", secs(migrationWall));
      t.row("server time (createdAt to finishedAt)", secs(migrationServer));
      t.row(
          "tenants/s (server time)",
          String.format(Locale.ROOT, "%.1f", migrationTotal / Math.max(migrationServer, 1e-3)));
      t.row(
          "tenants done / failed / total",
          migrationDone + " / " + migrationFailed + " / " + migrationTotal);
      migrationFailures.forEach(f -> t.row("  e.g.", f));
      t.row(
          "PostgreSQL sessions opened per tenant",
          perTenant(snapshots, 1, migrationTotal) + "  (with the restart's)");

      t.section("PostgreSQL catalog (database plinth)");
      List<String> columns = new ArrayList<>(catalog.keySet());
      t.header("", columns.toArray(String[]::new));
      t.cells("pg_class rows", catalog.values().stream().map(c -> "" + c.pgClass()).toList());
      t.cells(
          "pg_namespace rows", catalog.values().stream().map(c -> "" + c.pgNamespace()).toList());
      t.cells("pg_database_size", catalog.values().stream().map(Catalog::databaseSize).toList());
      t.cells(
          "pg_class+pg_attribute+pg_index",
          catalog.values().stream().map(Catalog::catalogSize).toList());
      t.cells(
          "sessions opened so far",
          catalog.values().stream()
              .map(c -> c.sessions() < 0 ? "?" : String.valueOf(c.sessions()))
              .toList());

      out.println();
      out.print(t.render());
      out.flush();
    }

    /** Sessions opened between two catalog snapshots, per tenant; our own snapshot's excluded. */
    private static String perTenant(List<Catalog> snapshots, int from, long tenants) {
      if (snapshots.size() < from + 2
          || snapshots.get(from).sessions() < 0
          || snapshots.get(from + 1).sessions() < 0) {
        return "?";
      }
      long opened = snapshots.get(from + 1).sessions() - snapshots.get(from).sessions() - 1;
      return String.format(Locale.ROOT, "%.1f", opened / (double) Math.max(1, tenants));
    }

    private static String secs(double seconds) {
      return String.format(Locale.ROOT, "%.2f s", seconds);
    }
  }

  /**
   * A plain-text table: sections with a title, then label rows; a section's numeric rows (after a
   * header) get right-aligned columns of their own width, labels share one width everywhere.
   */
  private static final class TextTable {
    private sealed interface Line permits Title, Pair, Cells {}

    private record Title(String text) implements Line {}

    private record Pair(String label, String value) implements Line {}

    private record Cells(String label, List<String> cells, boolean header) implements Line {}

    private final List<Line> lines = new ArrayList<>();

    void section(String title) {
      lines.add(new Title(title));
    }

    void row(String label, String value) {
      lines.add(new Pair(label, value));
    }

    void header(String label, String... columns) {
      lines.add(new Cells(label, List.of(columns), true));
    }

    void cells(String label, List<String> cells) {
      lines.add(new Cells(label, cells, false));
    }

    void stats(String label, Stats s) {
      cells(
          label,
          List.of(String.valueOf(s.count()), ms(s.p50()), ms(s.p90()), ms(s.p99()), ms(s.max())));
    }

    private static String ms(double ms) {
      return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
    }

    String render() {
      int labelWidth =
          lines.stream()
              .mapToInt(
                  l ->
                      l instanceof Pair p
                          ? p.label().length()
                          : l instanceof Cells c ? c.label().length() : 0)
              .max()
              .orElse(0);
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < lines.size()) {
        Line line = lines.get(i);
        if (line instanceof Title title) {
          out.append('\n').append(title.text()).append('\n');
          out.append("=".repeat(Math.min(title.text().length(), 100))).append('\n');
          i++;
        } else if (line instanceof Pair pair) {
          out.append("  ")
              .append(pad(pair.label(), labelWidth))
              .append("  ")
              .append(pair.value())
              .append('\n');
          i++;
        } else {
          // A block of cell rows: column widths of its own.
          int end = i;
          while (end < lines.size() && lines.get(end) instanceof Cells) {
            end++;
          }
          List<Cells> block = lines.subList(i, end).stream().map(l -> (Cells) l).toList();
          int columns = block.stream().mapToInt(c -> c.cells().size()).max().orElse(0);
          int[] widths = new int[columns];
          for (Cells c : block) {
            for (int k = 0; k < c.cells().size(); k++) {
              widths[k] = Math.max(widths[k], c.cells().get(k).length());
            }
          }
          for (Cells c : block) {
            StringBuilder row = new StringBuilder("  ").append(pad(c.label(), labelWidth));
            for (int k = 0; k < c.cells().size(); k++) {
              String cell = c.cells().get(k);
              row.append("  ").append(" ".repeat(widths[k] - cell.length())).append(cell);
            }
            out.append(row.toString().stripTrailing()).append('\n');
            if (c.header()) {
              int total = 2 + labelWidth;
              for (int w : widths) {
                total += 2 + w;
              }
              out.append("  ").append("-".repeat(total - 2)).append('\n');
            }
          }
          i = end;
        }
      }
      return out.toString();
    }

    private static String pad(String text, int width) {
      return text + " ".repeat(Math.max(0, width - text.length()));
    }
  }
}
