package io.plinth.bench.provisioning;

import io.plinth.bench.report.Format;
import io.plinth.bench.report.Latency;
import io.plinth.bench.report.TextTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Every figure of a provisioning run, and how to print it: one table of sections. */
final class ProvisioningReport {

  /** The first and the last creates, reported apart. */
  static final int EDGE = 100;

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
  Latency listBefore;
  Latency getBefore;
  Latency listAfter;
  Latency getAfter;
  int walkedTenants;
  double migrationWall;
  double migrationServer;
  long migrationTotal;
  long migrationDone;
  long migrationFailed;
  int migrationParallelism;
  final List<String> migrationFailures = new ArrayList<>();
  final Map<String, Catalog> catalog = new LinkedHashMap<>();

  /** Creates that failed, unexpected answers to reads, tenants the migration failed. */
  long errors() {
    return createErrors + requestErrors.get() + migrationFailed;
  }

  void print(PrintStream out, ProvisioningOptions options) {
    TextTable t = new TextTable().ruleAtMost(100);
    t.section("Machine").rows(machine).row("PostgreSQL", postgresVersion);

    t.section("Platform (in-process: local PostgreSQL, control plane, data plane)");
    t.row("cold start (initdb, both nodes)", Format.seconds(coldStart));
    t.row("stop", Format.seconds(stop));
    t.row("restart (existing data)", Format.seconds(restart));

    List<Catalog> snapshots = new ArrayList<>(catalog.values());
    creates(t, options, snapshots);
    reads(t, options.tenants());
    migration(t, snapshots);
    catalog(t);

    out.println();
    out.print(t.render());
    out.flush();
  }

  private void creates(TextTable t, ProvisioningOptions options, List<Catalog> snapshots) {
    int tenants = options.tenants();
    t.section(
        "Create "
            + tenants
            + " tenants: POST /admin/v1/tenants, "
            + options.concurrency()
            + " in flight (1 tenant existed)");
    t.row("wall time", Format.seconds(createWall));
    t.row("tenants/s", String.format(Locale.ROOT, "%.1f", tenants / createWall));
    t.row("errors (not 201)", String.valueOf(createErrors));
    createFailures.forEach(f -> t.row("  e.g.", f));
    t.row("PostgreSQL sessions opened per create", perTenant(snapshots, 0, tenants));
    t.header("latency per create (ms)", "n", "p50", "p90", "p99", "max");
    int n = createLatencies.length;
    stats(t, "all creates", Latency.ofNanos(createLatencies));
    int edge = Math.min(EDGE, n);
    stats(t, "first " + edge, Latency.ofNanos(createLatencies, 0, edge));
    stats(t, "last " + edge, Latency.ofNanos(createLatencies, n - edge, n));
    int slices = Math.min(10, n);
    for (int s = 0; s < slices; s++) {
      int from = (int) ((long) n * s / slices);
      int to = (int) ((long) n * (s + 1) / slices);
      stats(
          t,
          String.format(Locale.ROOT, "  creates %d-%d", from + 1, to),
          Latency.ofNanos(createLatencies, from, to));
    }
  }

  private void reads(TextTable t, int tenants) {
    t.section(
        "List and get, one request at a time ("
            + ListAndGet.SAMPLES
            + " each; the 0 and 1 tenant rows after "
            + ListAndGet.WARM_UP
            + " warm-up requests each)");
    t.header("latency (ms)", "n", "p50", "p90", "p99", "max");
    stats(t, "GET /tenants?limit=50, 0 tenants", listBefore);
    stats(t, "GET /tenants?limit=50, " + (tenants + 1) + " tenants", listAfter);
    stats(t, "GET /tenants/{slug}, 1 tenant", getBefore);
    stats(t, "GET /tenants/{slug}, " + (tenants + 1) + " tenants", getAfter);
    t.row(
        "tenants seen walking every page",
        walkedTenants + " of " + (tenants + 1) + (walkedTenants == tenants + 1 ? "" : "  (!)"));
    t.row("unexpected answers (list, get)", String.valueOf(requestErrors.get()));
  }

  private void migration(TextTable t, List<Catalog> snapshots) {
    t.section(
        "Fleet migration: V2 (table + index) into every tenant schema, parallelism "
            + migrationParallelism);
    t.row("wall time (POST to completed, 200 ms polls)", Format.seconds(migrationWall));
    t.row("server time (createdAt to finishedAt)", Format.seconds(migrationServer));
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
  }

  private void catalog(TextTable t) {
    t.section("PostgreSQL catalog (database plinth)");
    t.header("", catalog.keySet().toArray(String[]::new));
    t.cells("pg_class rows", catalog.values().stream().map(c -> "" + c.pgClass()).toList());
    t.cells("pg_namespace rows", catalog.values().stream().map(c -> "" + c.pgNamespace()).toList());
    t.cells("pg_database_size", catalog.values().stream().map(Catalog::databaseSize).toList());
    t.cells(
        "pg_class+pg_attribute+pg_index",
        catalog.values().stream().map(Catalog::catalogSize).toList());
    t.cells(
        "sessions opened so far",
        catalog.values().stream()
            .map(c -> c.sessions() < 0 ? "?" : String.valueOf(c.sessions()))
            .toList());
  }

  private static void stats(TextTable t, String label, Latency s) {
    t.cells(
        label,
        List.of(
            String.valueOf(s.count()),
            Format.ms(s.p50()),
            Format.ms(s.p90()),
            Format.ms(s.p99()),
            Format.ms(s.max())));
  }

  /** Sessions opened between two catalog snapshots, per tenant; our own snapshot's excluded. */
  static String perTenant(List<Catalog> snapshots, int from, long tenants) {
    if (snapshots.size() < from + 2
        || snapshots.get(from).sessions() < 0
        || snapshots.get(from + 1).sessions() < 0) {
      return "?";
    }
    long opened = snapshots.get(from + 1).sessions() - snapshots.get(from).sessions() - 1;
    return String.format(Locale.ROOT, "%.1f", opened / (double) Math.max(1, tenants));
  }
}
