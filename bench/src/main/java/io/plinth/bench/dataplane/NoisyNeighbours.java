package io.plinth.bench.dataplane;

import io.plinth.bench.dataplane.BenchTenants.BenchTenant;
import io.plinth.bench.dataplane.DataPlaneReport.Reference;
import io.plinth.bench.dataplane.DataPlaneReport.Row;
import io.plinth.bench.report.Percentiles;
import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.Progress;
import io.plinth.platform.cluster.ClusterMember;
import io.plinth.platform.registry.Plan;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Group noisy: two tenants on one node, each driven by a wrk process of its own: a quiet one whose
 * four clients read records by id with a pause between requests, measured alone and then beside a
 * noisy one flooding the node with 64 requests in flight of table scans ({@code count=exact} over
 * an unindexed filter) and batch inserts, in {@value #ROUNDS} rounds after an unmeasured flood and
 * an unmeasured quiet run. The flood queues behind its own bulkhead and busy-time allowance (plan
 * pro's, lowered by the node's ceiling while its event loops run late: ADRs 0012, 0013), and past
 * its queue gets 503 {@code tenant_busy}, instead of taking the node and the database.
 */
final class NoisyNeighbours {

  /**
   * Rounds of the quiet tenant alone and beside the flood: one p99 moves by 2 x from run to run on
   * a small shared machine, so the target compares the medians over the rounds.
   */
  static final int ROUNDS = 3;

  /**
   * The quiet tenant's clients each wait this long between requests (about 400 requests/s in all):
   * a tenant that asks little, as against one that runs flat out and is a load of its own.
   */
  private static final int QUIET_THINK_MS = 10;

  private static final int QUIET_IN_FLIGHT = 4;
  private static final int FLOOD_IN_FLIGHT = 64;

  /** The noisy tenant's busy-time allowance per node: plan pro's. */
  private static final int NOISY_BUSY_MS =
      Plan.named("pro").orElseThrow().limits().busyMsPerSecond();

  private static final String QUIET =
      String.format(
          Locale.ROOT,
          "quiet tenant: GET by id, %d clients pausing %d ms",
          QUIET_IN_FLIGHT,
          QUIET_THINK_MS);
  private static final String FLOOD =
      "noisy tenant: scans + batches of "
          + HttpScenarios.BATCH
          + ", "
          + FLOOD_IN_FLIGHT
          + " in flight";

  /**
   * The rounds: every row, the medians of the quiet tenant's p99 alone and beside the flood over
   * the rounds, and the flood's own results (its errors are its own 503s).
   */
  record Rounds(
      List<Row> rows, double quietAloneP99, double quietBesideP99, List<ScenarioResult> floods) {
    static final Rounds NONE = new Rounds(List.of(), Double.NaN, Double.NaN, List.of());
  }

  private final ScenarioRunner runner;
  private final BenchTenants tenants;
  private final AdminApi admin;
  private final BenchTenant quietTenant;
  private final Path work;
  private final String url;
  private final int port;

  /**
   * @param quietTenant the main tenant, whose ids are in {@code work}'s ids.txt
   */
  NoisyNeighbours(
      ScenarioRunner runner,
      BenchTenants tenants,
      AdminApi admin,
      BenchTenant quietTenant,
      Path work,
      int port) {
    this.runner = runner;
    this.tenants = tenants;
    this.admin = admin;
    this.quietTenant = quietTenant;
    this.work = work;
    this.port = port;
    this.url = "http://127.0.0.1:" + port + "/";
  }

  Rounds run() throws Exception {
    BenchTenant noisy = noisyTenant();
    Wrk quiet =
        new Wrk(
            work.resolve("wrk-quiet"),
            1,
            QUIET_IN_FLIGHT,
            Map.of(
                "PLINTH_API_KEY",
                quietTenant.secretKey(),
                "PLINTH_PATH",
                BenchTenants.RECORDS,
                "PLINTH_IDS_FILE",
                work.resolve("ids.txt").toString(),
                "PLINTH_THINK_MS",
                Integer.toString(QUIET_THINK_MS)));
    Wrk flood =
        new Wrk(
            work.resolve("wrk-flood"),
            DataPlaneBench.WRK_THREADS,
            FLOOD_IN_FLIGHT,
            Map.of(
                "PLINTH_API_KEY", noisy.secretKey(),
                "PLINTH_PATH", BenchTenants.RECORDS,
                "PLINTH_BATCH", Integer.toString(HttpScenarios.BATCH)));
    warmUp(quiet, flood);
    List<Row> rows = new ArrayList<>();
    double[] alone = new double[ROUNDS];
    double[] beside = new double[ROUNDS];
    List<ScenarioResult> floods = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      List<Row> three = round(round, quiet, flood);
      rows.addAll(three);
      alone[round - 1] = three.get(0).result().p99();
      beside[round - 1] = three.get(1).result().p99();
      floods.add(three.get(2).result());
      Thread.sleep(3_000); // the flood's queued requests drain before the next alone run
    }
    return new Rounds(rows, Percentiles.median(alone), Percentiles.median(beside), floods);
  }

  /** The noisy tenant, with plan pro's busy-time allowance. */
  private BenchTenant noisyTenant() {
    BenchTenant noisy = tenants.setUp("bench-noisy");
    // Plan internal has no busy-time limit; the noisy tenant gets plan pro's, without pro's rate
    // limits (wrk does not honour Retry-After: 429s would become a flood of their own).
    Progress.say(
        "limiting bench-noisy to " + NOISY_BUSY_MS + " ms busy time a second (plan pro's)");
    admin.patchTenant(
        "bench-noisy",
        new JsonObject().put("limits", new JsonObject().put("busyMsPerSecond", NOISY_BUSY_MS)));
    return noisy;
  }

  private void warmUp(Wrk quiet, Wrk flood) throws Exception {
    int warmup = runner.warmupSeconds();
    if (warmup <= 0) {
      return;
    }
    // A first flood, unmeasured, so the JIT has compiled the flood's paths before the quiet tenant
    // is measured alone; otherwise the compiler's threads would count against the flood.
    Progress.say(FLOOD + ": warming up for " + 2 * warmup + " s");
    flood.run(FLOOD, Wrk.Script.NOISY, url, 2 * warmup, HttpScenarios.BATCH);
    Thread.sleep(2_000);
    // The quiet tenant too, unmeasured, for as long as a record stays cached: otherwise its first
    // run alone compiles its path and fills the record cache, and its solo p99 comes out higher
    // than it is in the rounds after (which made the ratio look better than it was).
    Progress.say(QUIET + ": warming up for " + ClusterMember.RECORDS_TTL_SECONDS + " s");
    quiet.run(QUIET, Wrk.Script.GET_BY_ID, url, ClusterMember.RECORDS_TTL_SECONDS, 0, Map.of());
  }

  /** One round: the quiet tenant alone, the quiet tenant beside the flood, the flood. */
  private List<Row> round(int round, Wrk quiet, Wrk flood) throws Exception {
    String of = " (round " + round + " of " + ROUNDS + ")";
    Row quietAlone =
        runner.scenario(
            quiet, QUIET + ", alone" + of, Wrk.Script.GET_BY_ID, port, 0, Reference.BARE, Map.of());
    // The flood runs through the quiet tenant's warm-up and measured run and a second longer,
    // so the quiet tenant's whole measurement lies inside it. Its own row is its whole run.
    Progress.say(FLOOD + of + ": starts");
    ProcessUsage.Mark floodMark = runner.mark();
    int floodSeconds = runner.warmupSeconds() + runner.durationSeconds() + 2;
    CompletableFuture<ScenarioResult> flooding =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return flood.run(
                    FLOOD + of, Wrk.Script.NOISY, url, floodSeconds, HttpScenarios.BATCH);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(1_000);
    Row quietBeside =
        runner.scenario(
            quiet,
            QUIET + ", beside the flood" + of,
            Wrk.Script.GET_BY_ID,
            port,
            0,
            Reference.BARE,
            Map.of());
    Row floodRow = runner.row(flooding.get(), floodMark, Reference.BARE);
    return List.of(quietAlone, quietBeside, floodRow);
  }
}
