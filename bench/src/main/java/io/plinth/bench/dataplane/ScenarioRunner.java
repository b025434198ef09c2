package io.plinth.bench.dataplane;

import io.plinth.bench.dataplane.DataPlaneReport.Reference;
import io.plinth.bench.dataplane.DataPlaneReport.Row;
import io.plinth.bench.report.Format;
import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.ProcFs;
import io.plinth.bench.run.Progress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The data-plane bench's measure loop: each wrk scenario runs for a warm-up, not recorded, then for
 * the measured period, while the server's, the generator's and PostgreSQL's CPU are measured
 * ({@link ProcessUsage}); other measured runs (pgbench, provisioning, a migration) get the same CPU
 * figures. Each result is shown as progress when it is in.
 */
final class ScenarioRunner implements AutoCloseable {

  private final Wrk wrk;
  private final int warmupSeconds;
  private final int durationSeconds;
  private ProcessUsage usage;

  /**
   * @param wrk the generator of most scenarios
   * @param postmasterPid PostgreSQL's main process ({@link #postmasterPid}), or -1
   */
  ScenarioRunner(Wrk wrk, DataPlaneOptions options, long postmasterPid) {
    this.wrk = wrk;
    this.warmupSeconds = options.warmupSeconds();
    this.durationSeconds = options.durationSeconds();
    this.usage = new ProcessUsage(postmasterPid);
  }

  int warmupSeconds() {
    return warmupSeconds;
  }

  int durationSeconds() {
    return durationSeconds;
  }

  /** The generator of most scenarios. */
  Wrk wrk() {
    return wrk;
  }

  /** Runs one HTTP scenario with the main wrk: a warm-up run, then the measured run. */
  Row scenario(String name, Wrk.Script script, int port, int records, Reference reference)
      throws Exception {
    return scenario(wrk, name, script, port, records, reference, Map.of());
  }

  /** Like the one above, with a wrk of its own and more for the script to read. */
  Row scenario(
      Wrk wrk,
      String name,
      Wrk.Script script,
      int port,
      int records,
      Reference reference,
      Map<String, String> environment)
      throws Exception {
    Progress.say(
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
    return measured(
        () -> wrk.run(name, script, url, durationSeconds, records, environment), reference);
  }

  /** A measured run of something other than a wrk scenario, with the CPU figures around it. */
  Row measured(Callable<ScenarioResult> run, Reference reference) throws Exception {
    ProcessUsage.Mark mark = usage.mark();
    ScenarioResult result = run.call();
    Row row = new Row(result, usage.since(mark), reference);
    printProgress(row);
    return row;
  }

  /** The start of a run measured by hand, for a run beside others ({@link #row}). */
  ProcessUsage.Mark mark() {
    return usage.mark();
  }

  /** The row of a run measured from {@code mark}; shown as progress. */
  Row row(ScenarioResult result, ProcessUsage.Mark mark, Reference reference) {
    Row row = new Row(result, usage.since(mark), reference);
    printProgress(row);
    return row;
  }

  /** Measures PostgreSQL anew: after a restart its processes are others. */
  void measurePostgres(long postmasterPid) {
    usage.close();
    usage = new ProcessUsage(postmasterPid);
  }

  @Override
  public void close() {
    usage.close();
  }

  /** PostgreSQL's main process: the parent of a session's backend; -1 if it cannot be found. */
  static long postmasterPid(BenchPlatform platform) {
    try (Connection c = platform.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return Long.parseLong(ProcFs.statFields(rs.getInt(1)).get(1));
    } catch (Exception e) {
      Progress.say("no PostgreSQL CPU figures: " + e.getMessage());
      return -1;
    }
  }

  static void printProgress(Row row) {
    ScenarioResult r = row.result();
    // Without its transaction log pgbench gives an average only.
    String latency =
        !Double.isNaN(r.p50())
            ? "p50 " + Format.ms(r.p50()) + " ms, p99 " + Format.ms(r.p99()) + " ms"
            : !Double.isNaN(r.avg()) ? "avg " + Format.ms(r.avg()) + " ms" : "no latencies";
    Progress.say(
        String.format(
            Locale.ROOT,
            "  %.0f req/s, %s, %d errors; CPU: server %.2f, generator %.2f, PostgreSQL %.2f",
            r.requestsPerSecond(),
            latency,
            r.errors(),
            row.usage().serverCores(),
            row.usage().generatorCores(),
            row.usage().postgresCores()));
    r.errorSamples().forEach(s -> Progress.say("  e.g. " + s));
  }
}
