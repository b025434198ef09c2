package io.plinth.bench.dataplane;

import io.plinth.bench.dataplane.BenchTenants.BenchTenant;
import io.plinth.bench.dataplane.DataPlaneReport.Reference;
import io.plinth.bench.dataplane.DataPlaneReport.Row;
import io.plinth.bench.run.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Group tenants, first part: the same GET by id spread over 1, 100 and 1,000 tenants with {@value
 * #SPREAD_RECORDS} records each, on the node with the record cache on: whether latency stays flat
 * as tenants grow, and what 1,000 active tenants cost the server in memory. Provisioning the 999
 * extra tenants is timed as a scenario of its own.
 */
final class TenantSpread {

  private static final List<Integer> SPREADS = List.of(1, 100, 1_000);
  private static final int SPREAD_RECORDS = 10;
  private static final int PROVISIONING_IN_FLIGHT = 4;

  private final ScenarioRunner runner;
  private final BenchTenants tenants;
  private final BenchTenant main;
  private final Path work;
  private final int port;

  /**
   * @param main the tenant whose first records are the first tenant's of the spread
   * @param work where the spread's file for wrk goes
   */
  TenantSpread(ScenarioRunner runner, BenchTenants tenants, BenchTenant main, Path work, int port) {
    this.runner = runner;
    this.tenants = tenants;
    this.main = main;
    this.work = work;
    this.port = port;
  }

  void run(Results results) throws Exception {
    int more = SPREADS.get(SPREADS.size() - 1) - 1;
    Progress.say(
        "creating "
            + more
            + " more tenants with "
            + SPREAD_RECORDS
            + " records each, 4 at a time (one line per 100)");
    List<String> lines = new ArrayList<>();
    lines.add(main.secretKey() + " " + String.join(" ", main.ids().subList(0, SPREAD_RECORDS)));
    List<String> slugs = new ArrayList<>();
    for (int i = 1; i <= more; i++) {
      slugs.add(String.format(Locale.ROOT, "bench-spread-%04d", i));
    }
    ExecutorService threads = Executors.newFixedThreadPool(PROVISIONING_IN_FLIGHT);
    try {
      // First the tenants alone, timed: provisioning at fleet scale is a scenario of its own.
      results.provisioning.add(provision(threads, slugs));
      lines.addAll(fill(threads, slugs));
    } finally {
      threads.shutdown();
    }
    Path file = work.resolve("spread.txt");
    Files.write(file, lines);
    List<Row> out = new ArrayList<>();
    for (int spread : SPREADS) {
      out.add(
          runner.scenario(
              runner.wrk(),
              String.format(Locale.ROOT, "GET by id over %,d tenant(s)", spread),
              Wrk.Script.GET_SPREAD,
              port,
              0,
              Reference.SELECT,
              Map.of(
                  "PLINTH_SPREAD_FILE",
                  file.toString(),
                  "PLINTH_TENANTS",
                  String.valueOf(spread))));
    }
    results.spread = out;
  }

  /** Creates the tenants, {@value #PROVISIONING_IN_FLIGHT} at a time, each create timed. */
  private Row provision(ExecutorService threads, List<String> slugs) throws Exception {
    List<Callable<Long>> provisions = new ArrayList<>();
    for (int i = 0; i < slugs.size(); i++) {
      String slug = slugs.get(i);
      boolean announce = (i + 1) % 100 == 0;
      provisions.add(
          () -> {
            long started = System.nanoTime();
            tenants.create(slug, announce);
            return System.nanoTime() - started;
          });
    }
    return runner.measured(
        () -> {
          long started = System.nanoTime();
          List<Future<Long>> timed = threads.invokeAll(provisions);
          double wall = (System.nanoTime() - started) / 1e9;
          double[] latencies = new double[timed.size()];
          for (int i = 0; i < latencies.length; i++) {
            latencies[i] = timed.get(i).get() / 1e6;
          }
          return ScenarioResult.of(
              String.format(
                  Locale.ROOT,
                  "provisioning %,d tenants, %d in flight (schema, migrations, keys)",
                  slugs.size(),
                  PROVISIONING_IN_FLIGHT),
              latencies,
              wall);
        },
        Reference.NONE);
  }

  /** Gives each tenant its collection and records; returns a line per tenant: key, then ids. */
  private List<String> fill(ExecutorService threads, List<String> slugs) throws Exception {
    List<Callable<String>> fills = new ArrayList<>();
    for (String slug : slugs) {
      fills.add(
          () -> {
            BenchTenant tenant = tenants.fill(slug, SPREAD_RECORDS, false);
            return tenant.secretKey() + " " + String.join(" ", tenant.ids());
          });
    }
    Progress.say("adding a collection and " + SPREAD_RECORDS + " records to each");
    List<String> lines = new ArrayList<>();
    for (Future<String> filled : threads.invokeAll(fills)) {
      lines.add(filled.get());
    }
    return lines;
  }
}
