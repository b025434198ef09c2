package io.plinth.bench.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.bench.dataplane.DataPlaneReport.Reference;
import io.plinth.bench.dataplane.DataPlaneReport.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataPlaneReportTest {

  private static final String TITLE =
      "Data plane: wrk -t2 -c32 (32 in flight), 5 s warm-up + 15 s measured per scenario; latency"
          + " in ms; CPU in cores";

  static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores (nproc)", "2  (AMD EPYC)");
    m.put("memory", "23.4 GiB");
    m.put("java -version", "openjdk 17 | x");
    return m;
  }

  private static ScenarioResult result(
      String name, long requests, long records, double avg, double p50, long errors) {
    return new ScenarioResult(
        name, requests, records, 15, avg, p50, p50 * 2, p50 * 4, p50 * 11.3, errors, List.of());
  }

  private static ProcessUsage.Usage usage(double server) {
    return new ProcessUsage.Usage(server, server / 3, server / 2, 812.4);
  }

  private static Row row(String name, long requests, long records, double p50, Reference ref) {
    return new Row(result(name, requests, records, p50 * 1.05, p50, 0), usage(1), ref);
  }

  /** The figures of a run, as the bench's groups leave them. */
  static Results results(boolean pgbench) {
    Results r = new Results();
    r.machine = machine();
    r.postgresVersion = "PostgreSQL 14.22";
    r.bare =
        new Row(
            result("bare Vert.x endpoint (187 B JSON)", 1_489_000, 0, 0.36, 0.31, 0),
            usage(0.81),
            Reference.BARE);
    r.coldGet =
        new Row(
            result("GET by id, cold (node with cache off)", 327_000, 0, 1.4, 1.35, 0),
            usage(0.88),
            Reference.SELECT);
    r.warmGet =
        new Row(
            result("GET by id, warm cache (all ids preloaded)", 337_900, 0, 1.3, 1.31, 0),
            usage(1.41),
            Reference.SELECT);
    r.query =
        new Row(
            result("filtered query, order, limit 20", 179_900, 0, 2.6, 2.58, 0),
            usage(0.95),
            Reference.SELECT);
    r.insertOne =
        new Row(result("insert one", 51_600, 51_600, 9.1, 8.92, 3), usage(0.39), Reference.INSERT);
    r.http.addAll(List.of(r.coldGet, r.warmGet, r.query, r.insertOne));
    r.http.add(
        new Row(
            result("insert batch of 100", 5_470, 546_800, 85, 85.0, 0),
            usage(0.31),
            Reference.INSERT));
    r.spread =
        List.of(
            new Row(
                result("GET by id over 1 tenant(s)", 323_000, 0, 1.4, 1.39, 0),
                usage(1.1),
                Reference.SELECT),
            new Row(
                result("GET by id over 1,000 tenant(s)", 318_000, 0, 1.5, 1.32, 0),
                new ProcessUsage.Usage(1, 0.3, 0.2, 956.2),
                Reference.SELECT));
    r.provisioning.add(
        new Row(
            ScenarioResult.of(
                "provisioning 999 tenants, 4 in flight (schema, migrations, keys)",
                new double[] {137.2, 100.1, 347.9, 12.5},
                38.2),
            usage(0.54),
            Reference.NONE));
    r.provisioning.add(
        new Row(
            new ScenarioResult(
                "fleet migration over 1,001 tenant schemas, parallelism 4 (server 9.8 s)",
                1001,
                0,
                10.2,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                List.of()),
            null,
            Reference.NONE));
    if (pgbench) {
      r.select =
          new Row(
              result("pgbench -S (select by key, scale 10)", 771_240, 0, 0.6, 0.41, 0),
              usage(0.02),
              Reference.BARE);
      r.insert =
          new Row(
              result(
                  "pgbench -f: insert one row (collection-shaped table)", 257_925, 0, 1.8, 1.5, 0),
              usage(0.03),
              Reference.BARE);
    }
    return r;
  }

  /** The report as the code before the split into packages built it for the same figures. */
  private static String printed(Results r) {
    DataPlaneReport report =
        new DataPlaneReport(r.machine, TITLE, r.rows(), r.bare, r.select, r.insert);
    report.info("PostgreSQL", r.postgresVersion);
    report.info("note", "server, PostgreSQL and wrk share the machine's 2 cores");
    report.note("(10000 records seeded; hit ratio 0.9990)");
    report.note("(CPU note)");
    report.target("GET by id, warm >= 0.5 x bare endpoint", r.warmGet, Reference.BARE, 0.5);
    report.target("GET by id, cold >= 0.5 x pgbench -S", r.coldGet, Reference.SELECT, 0.5);
    report.target("filtered query >= 0.5 x pgbench -S", r.query, Reference.SELECT, 0.5);
    report.target("insert one >= 0.5 x pgbench insert", r.insertOne, Reference.INSERT, 0.5);
    report.check("p99 over 1,000 tenants <= 1.2 x over 1: 11.3 / 5.38 ms = 2.10", false);
    report.check("server RSS < 1 GiB: 956 MiB", true);
    return print(report);
  }

  static String print(DataPlaneReport report) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DataPlaneReportTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void printsTheTableAsItAlwaysHas() throws IOException {
    assertThat(printed(results(true))).isEqualTo(resource("report-with-pgbench.txt"));
    assertThat(printed(results(false))).isEqualTo(resource("report-without-pgbench.txt"));
  }

  @Test
  void aRunsReportHasItsTitleNotesAndTargets() {
    Results r = results(true);
    r.warmHitRatio = 0.99912;
    String out =
        print(DataPlaneReport.of(r, new DataPlaneOptions(15, 32, 5, Set.of()), "wrk -t2 -c32"));

    assertThat(out)
        .contains("\n" + TITLE + "\n" + "=".repeat(TITLE.length()) + "\n")
        .contains("warm GET hit ratio 0.9991)")
        .contains("(10000 records seeded;")
        .contains(
            "  GET by id, warm >= 0.5 x bare endpoint                       0.23 (target >= 0.50)"
                + "  MISSED\n")
        .contains("  p99 over 1,000 tenants <= 1.2 x over 1: 5.28 / 5.56 ms = 0.95  met\n")
        .contains(
            "  server RSS with 1,000 active tenants < 1 GiB: 956 MiB (this JVM holds both"
                + " planes)  met\n")
        .doesNotContain("noisy neighbours");
  }

  @Test
  void withoutPgbenchItsTargetsAreNotedAsUnchecked() {
    String out =
        print(
            DataPlaneReport.of(
                results(false), new DataPlaneOptions(15, 32, 5, Set.of()), "wrk -t2 -c32"));

    assertThat(out)
        .contains("  GET by id, cold >= 0.5 x pgbench -S: not checked, pgbench did not run\n")
        .doesNotContain("reference: pgbench");
  }

  @Test
  void theNoisyNeighboursTargetComparesTheMedians() {
    Results r = results(true);
    List<Row> rows = new ArrayList<>();
    ScenarioResult flood = result("flood", 1000, 0, 20, 20, 400);
    rows.add(new Row(flood, usage(1), Reference.BARE));
    r.neighbours = new NoisyNeighbours.Rounds(rows, 2.0, 4.5, List.of(flood));

    String out =
        print(DataPlaneReport.of(r, new DataPlaneOptions(15, 32, 5, Set.of()), "wrk -t2 -c32"));

    assertThat(out).contains("(medians of 3 rounds): 4.50 / 2.00 ms = 2.25").contains("MISSED");
    // The flood's 503s are its own: they do not count as the run's errors.
    assertThat(r.errors()).isEqualTo(3);
  }
}
