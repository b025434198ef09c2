package io.plinth.bench;

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

  List<Target> targets() {
    return List.copyOf(targets);
  }

  void print(PrintStream out) {
    StringBuilder text = new StringBuilder("\nMachine\n=======\n");
    int labelWidth = info.keySet().stream().mapToInt(String::length).max().orElse(0);
    info.forEach(
        (k, v) ->
            text.append("  ")
                .append(k)
                .append(" ".repeat(labelWidth - k.length()))
                .append("  ")
                .append(v)
                .append('\n'));
    text.append('\n').append(title).append('\n').append("=".repeat(title.length())).append('\n');
    List<String[]> cells = new ArrayList<>();
    cells.add(
        new String[] {
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
          "vs pgbench"
        });
    for (Row row : rows) {
      cells.add(cells(row, false));
    }
    cells.add(cells(bare, true));
    if (select != null) {
      cells.add(cells(select, true));
      cells.add(cells(insert, true));
    }
    appendTable(text, cells);
    notes.forEach(n -> text.append("  ").append(n).append('\n'));
    if (!targets.isEmpty() || !checks.isEmpty()) {
      text.append("\nTargets of the benchmark issue\n");
      for (Target t : targets) {
        text.append(
            String.format(
                Locale.ROOT,
                "  %-60s %.2f (target >= %.2f)  %s%n",
                t.label(),
                t.ratio(),
                t.factor(),
                t.met() ? "met" : "MISSED"));
      }
      checks.forEach(
          (outcome, met) ->
              text.append("  ")
                  .append(outcome)
                  .append("  ")
                  .append(met ? "met" : "MISSED")
                  .append('\n'));
    }
    out.print(text);
    out.flush();
  }

  private String[] cells(Row row, boolean isReference) {
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
    return new String[] {
      isReference ? "reference: " + r.name() : r.name(),
      String.format(Locale.ROOT, "%.0f", r.requestsPerSecond()),
      r.records() == 0 ? "" : String.format(Locale.ROOT, "%.0f", r.recordsPerSecond()),
      ms(r.avg()),
      ms(r.p50()),
      ms(r.p90()),
      ms(r.p99()),
      ms(r.max()),
      String.valueOf(r.errors()),
      u == null ? "" : fixed(u.serverCores(), 2),
      u == null ? "" : fixed(u.generatorCores(), 2),
      u == null ? "" : fixed(u.postgresCores(), 2),
      u == null ? "" : fixed(u.rssMib(), 0),
      row == bare
          ? "1.00"
          : isReference || row.reference() == Reference.NONE
              ? ""
              : ratio(r.requestsPerSecond(), bare),
      isReference || ref == null ? "" : ratio(throughput, ref)
    };
  }

  private static String ratio(double value, Row reference) {
    return fixed(value / reference.result().requestsPerSecond(), 2);
  }

  private static void appendTable(StringBuilder text, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int k = 0; k < row.length; k++) {
        widths[k] = Math.max(widths[k], row[k].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder("  ").append(row[0]);
      line.append(" ".repeat(widths[0] - row[0].length()));
      for (int k = 1; k < row.length; k++) {
        line.append("  ").append(" ".repeat(widths[k] - row[k].length())).append(row[k]);
      }
      text.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        int total = 0;
        for (int w : widths) {
          total += w + 2;
        }
        text.append("  ").append("-".repeat(total - 2)).append('\n');
      }
    }
  }

  static String ms(double ms) {
    if (Double.isNaN(ms)) {
      return "";
    }
    return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
  }

  private static String fixed(double value, int decimals) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
