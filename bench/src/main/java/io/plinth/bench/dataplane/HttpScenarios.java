package io.plinth.bench.dataplane;

import io.plinth.bench.dataplane.BenchTenants.BenchTenant;
import io.plinth.bench.dataplane.DataPlaneReport.Reference;
import io.plinth.bench.run.PlatformHttp;
import io.plinth.bench.run.Progress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Group http: GET by id from PostgreSQL (the node with the record cache off) and from a warm record
 * cache, a filtered query, inserts one by one and in batches, and a 90/10 read/write mix, all on
 * the main tenant.
 */
final class HttpScenarios {

  static final int BATCH = 100;

  private static final Pattern RECORD_CACHE_GETS =
      Pattern.compile(
          "plinth_cache_gets_total\\{[^}]*cache=\"plinth.records\"[^}]*result=\"(hit|miss)\"[^}]*\\}"
              + " ([0-9.E+]+)");

  private final ScenarioRunner runner;
  private final PlatformHttp http;
  private final BenchTenant tenant;
  private final int port;
  private final int uncachedPort;

  /**
   * @param port the data plane with the record cache on
   * @param uncachedPort the data-plane node with it off
   */
  HttpScenarios(
      ScenarioRunner runner, PlatformHttp http, BenchTenant tenant, int port, int uncachedPort) {
    this.runner = runner;
    this.http = http;
    this.tenant = tenant;
    this.port = port;
    this.uncachedPort = uncachedPort;
  }

  void run(Results results) throws Exception {
    results.coldGet =
        runner.scenario(
            "GET by id, cold (node with cache off)",
            Wrk.Script.GET_BY_ID,
            uncachedPort,
            0,
            Reference.SELECT);
    results.http.add(results.coldGet);
    preload();
    double[] before = recordCacheGets();
    results.warmGet =
        runner.scenario(
            "GET by id, warm cache (all ids preloaded)",
            Wrk.Script.GET_BY_ID,
            port,
            0,
            Reference.SELECT);
    results.http.add(results.warmGet);
    double[] after = recordCacheGets();
    double hits = after[0] - before[0];
    double misses = after[1] - before[1];
    results.warmHitRatio = hits + misses == 0 ? Double.NaN : hits / (hits + misses);
    Progress.say(String.format(Locale.ROOT, "  record cache hit ratio %.4f", results.warmHitRatio));
    results.query =
        runner.scenario(
            "filtered query, order, limit 20", Wrk.Script.QUERY, port, 0, Reference.SELECT);
    results.http.add(results.query);
    results.insertOne =
        runner.scenario("insert one", Wrk.Script.INSERT_ONE, port, 1, Reference.INSERT);
    results.http.add(results.insertOne);
    results.http.add(
        runner.scenario(
            "insert batch of " + BATCH, Wrk.Script.INSERT_BATCH, port, BATCH, Reference.INSERT));
    results.http.add(
        runner.scenario("90/10 read/write mix", Wrk.Script.MIX, port, 0, Reference.BARE));
  }

  /**
   * Reads every seeded record once on the node with the cache on, 16 at a time. Blocking sends on
   * threads of its own: the HTTP client's asynchronous sends start a thread per response here
   * (CompletableFuture's default executor on a machine of 2 cores), which would blur a profile.
   */
  private void preload() throws InterruptedException {
    Progress.say("preloading the record cache: " + tenant.ids().size() + " GETs");
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> reads = new ArrayList<>();
      for (String id : tenant.ids()) {
        reads.add(
            () ->
                http.client()
                    .send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:" + port + BenchTenants.RECORDS + "/" + id))
                            .header("apikey", tenant.secretKey())
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode());
      }
      long failed = 0;
      for (Future<Integer> read : threads.invokeAll(reads)) {
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

  /** The node's record-cache hits and misses so far, from its /metrics. */
  private double[] recordCacheGets() {
    String metrics =
        http.expect(
            200, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET());
    double[] counts = new double[2];
    Matcher m = RECORD_CACHE_GETS.matcher(metrics);
    while (m.find()) {
      counts["hit".equals(m.group(1)) ? 0 : 1] = Double.parseDouble(m.group(2));
    }
    return counts;
  }
}
