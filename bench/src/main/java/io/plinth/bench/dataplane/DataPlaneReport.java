package io.plinth.bench.dataplane;

import io.plinth.bench.report.Format;
import io.plinth.bench.report.TextTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data-plane bench's printout: the machine, one table of scenarios with the server's and
 * PostgreSQL's CPU, each scenario's ratio to its reference (the bare endpoint, pgbench), and the
 * benchmark issue's targets, met or missed.
 */
final class DataPlaneReport {

  /**
   * What a scenario is compared with besides the bare endpoint: a pgbench run, or nothing; NONE:
   * not even the bare endpoint (provisioning, migrations: not HTTP throughput).
   */
  enum Reference {
    BARE,
    SELECT,
    INSERT,
    NONE
  }

  /** One measured scenario; {@code usage} is null when the generator ran inside the server JVM. */
  record Row(ScenarioResult result, ProcessUsage.Usage usage, Reference reference) {}

  /** A target of the issue: {@code row} must reach {@code factor} x {@code reference}'s req/s. */
  record Target(String label, Row row, Row reference, double factor) {
    double ratio() {
      return row.result().requestsPerSecond() / reference.result().requestsPerSecond();
    }

    boolean met() {
      return ratio() >= factor;
    }
  }

  private final Map<String, String> info = new LinkedHashMap<>();
  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private final Row bare;
  private final Row select;
  private final Row insert;
  private final List<String> notes = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();
  private final Map<String, Boolean> checks = new LinkedHashMap<>();

  /**
   * @param select pgbench -S, or null if pgbench did not run
   * @param insert pgbench's single-row insert, or null if pgbench did not run
   */
  DataPlaneReport(
      Map<String, String> machine, String title, List<Row> rows, Row bare, Row select, Row insert) {
    this.info.putAll(machine);
    this.title = title;
    this.rows.addAll(rows);
    this.bare = bare;
    this.select = select;
    this.insert = insert;
  }

  /** The report of a run: its title and notes, and the targets of what it measured. */
  static DataPlaneReport of(Results results, DataPlaneOptions options, String wrk) {
    String title =
        String.format(
            Locale.ROOT,
            "Data plane: %s (%d in flight), %d s warm-up + %d s measured per scenario; latency in"
                + " ms; CPU in cores",
            wrk,
            options.connections(),
            options.warmupSeconds(),
            options.durationSeconds());
    DataPlaneReport report =
        new DataPlaneReport(
            results.machine, title, results.rows(), results.bare, results.select, results.insert);
    report.info("PostgreSQL", results.postgresVersion);
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
            BenchTenants.SEED,
            results.warmHitRatio));
    report.note(
        "(CPU in cores over the measured run: srv = this JVM, the server's; gen = wrk's or"
            + " pgbench's, counted when the process ends, so the quiet tenant's row beside the flood"
            + " has its own wrk's only and the flood's row covers its whole run; pg = PostgreSQL's processes."
            + " RSS: this JVM's at the run's end. vs pgbench: req/s, records/s for the batch, over"
            + " the pgbench reference's tps; pgbench percentiles from a 10% sample of its"
            + " transaction log)");
    report.targets(results);
    return report;
  }

  /** The targets of what was measured. */
  private void targets(Results results) {
    if (results.warmGet != null) {
      target("GET by id, warm >= 0.5 x bare endpoint", results.warmGet, Reference.BARE, 0.5);
      target("GET by id, cold >= 0.5 x pgbench -S", results.coldGet, Reference.SELECT, 0.5);
      target("filtered query >= 0.5 x pgbench -S", results.query, Reference.SELECT, 0.5);
      target("insert one >= 0.5 x pgbench insert", results.insertOne, Reference.INSERT, 0.5);
    }
    List<Row> spread = results.spread;
    if (!spread.isEmpty()) {
      double p99One = spread.get(0).result().p99();
      double p99All = spread.get(spread.size() - 1).result().p99();
      check(
          String.format(
              Locale.ROOT,
              "p99 over 1,000 tenants <= 1.2 x over 1: %s / %s ms = %.2f",
              Format.ms(p99All),
              Format.ms(p99One),
              p99All / p99One),
          p99All <= 1.2 * p99One);
      double rss = spread.get(spread.size() - 1).usage().rssMib();
      check(
          String.format(
              Locale.ROOT,
              "server RSS with 1,000 active tenants < 1 GiB: %.0f MiB (this JVM holds both planes)",
              rss),
          rss < 1024);
    }
    NoisyNeighbours.Rounds neighbours = results.neighbours;
    if (!neighbours.rows().isEmpty()) {
      double quietAlone = neighbours.quietAloneP99();
      double quietBeside = neighbours.quietBesideP99();
      check(
          String.format(
              Locale.ROOT,
              "noisy neighbours: the quiet tenant's p99 beside the flood <= 2 x alone (medians of"
                  + " %d rounds): %s / %s ms = %.2f (the flood's errors are its own 503"
                  + " tenant_busy)",
              NoisyNeighbours.ROUNDS,
              Format.ms(quietBeside),
              Format.ms(quietAlone),
              quietBeside / quietAlone),
          quietBeside <= 2 * quietAlone);
    }
  }

  void info(String key, String value) {
    info.put(key, value);
  }

  void note(String note) {
    notes.add(note);
  }

  /** Adds a target: {@code row} at {@code factor} x the reference's req/s, if it was measured. */
  void target(String label, Row row, Reference reference, double factor) {
    Row ref =
        switch (reference) {
          case BARE -> bare;
          case SELECT -> select;
          case INSERT -> insert;
          case NONE -> throw new IllegalArgumentException("a target needs a reference");
        };
    if (ref != null) {
      targets.add(new Target(label, row, ref, factor));
    } else {
      notes.add(label + ": not checked, pgbench did not run");
    }
  }

  /** A target that is not a ratio of req/s: its outcome described, and whether it is met. */
  void check(String outcome, boolean met) {
    checks.put(outcome, met);
  }

  void print(PrintStream out) {
    TextTable machine = new TextTable().section("Machine").rows(info);
    TextTable table =
        new TextTable()
            .section(title)
            .header(
                "scenario",
                "req/s",
                "records/s",
                "avg",
                "p50",
                "p90",
                "p99",
                "max",
                "errors",
                "srv CPU",
                "gen CPU",
                "pg CPU",
                "RSS MiB",
                "vs bare",
                "vs pgbench");
    for (Row row : rows) {
      table.cells(label(row, false), cells(row, false));
    }
    table.cells(label(bare, true), cells(bare, true));
    if (select != null) {
      table.cells(label(select, true), cells(select, true));
      table.cells(label(insert, true), cells(insert, true));
    }
    notes.forEach(n -> table.line("  " + n));
    if (!targets.isEmpty() || !checks.isEmpty()) {
      table.line("").line("Targets of the benchmark issue");
      for (Target t : targets) {
        table.line(
            String.format(
                Locale.ROOT,
                "  %-60s %.2f (target >= %.2f)  %s",
                t.label(),
                t.ratio(),
                t.factor(),
                t.met() ? "met" : "MISSED"));
      }
      checks.forEach(
          (outcome, met) -> table.line("  " + outcome + "  " + (met ? "met" : "MISSED")));
    }
    out.print(machine.render() + table.render());
    out.flush();
  }

  private static String label(Row row, boolean isReference) {
    return isReference ? "reference: " + row.result().name() : row.result().name();
  }

  private List<String> cells(Row row, boolean isReference) {
    ScenarioResult r = row.result();
    ProcessUsage.Usage u = row.usage();
    Row ref =
        switch (row.reference()) {
          case BARE, NONE -> null;
          case SELECT -> select;
          case INSERT -> insert;
        };
    // A batch is compared by records: rows inserted per second against pgbench's inserts.
    double throughput = r.records() > r.requests() ? r.recordsPerSecond() : r.requestsPerSecond();
    return List.of(
        Format.fixed(r.requestsPerSecond(), 0),
        r.records() == 0 ? "" : Format.fixed(r.recordsPerSecond(), 0),
        Format.ms(r.avg()),
        Format.ms(r.p50()),
        Format.ms(r.p90()),
        Format.ms(r.p99()),
        Format.ms(r.max()),
        String.valueOf(r.errors()),
        u == null ? "" : Format.fixed(u.serverCores(), 2),
        u == null ? "" : Format.fixed(u.generatorCores(), 2),
        u == null ? "" : Format.fixed(u.postgresCores(), 2),
        u == null ? "" : Format.fixed(u.rssMib(), 0),
        row == bare
            ? "1.00"
            : isReference || row.reference() == Reference.NONE
                ? ""
                : ratio(r.requestsPerSecond(), bare),
        isReference || ref == null ? "" : ratio(throughput, ref));
  }

  private static String ratio(double value, Row reference) {
    return Format.fixed(value / reference.result().requestsPerSecond(), 2);
  }
}
