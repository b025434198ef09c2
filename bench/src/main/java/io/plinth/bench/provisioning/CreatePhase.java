package io.plinth.bench.provisioning;

import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.PlatformHttp.Response;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates the tenants over the admin API, C requests in flight, each create timed. */
final class CreatePhase {

  private final AdminApi admin;
  private final int tenants;
  private final int concurrency;
  private final long[] latencies;
  private final AtomicInteger next = new AtomicInteger(1);
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private long started;

  CreatePhase(AdminApi admin, ProvisioningOptions options) {
    this.admin = admin;
    this.tenants = options.tenants();
    this.concurrency = options.concurrency();
    this.latencies = new long[tenants];
  }

  /** Creates tenants 1 to N ({@link ProvisioningBench#slug}); their figures go into the report. */
  void run(ProvisioningReport report) throws Exception {
    Progress.say("create: " + tenants + " tenants, " + concurrency + " in flight");
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        running.add(
            workers.submit(
                () -> {
                  createUntilDone();
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      workers.shutdownNow();
    }
    report.createWall = Sampling.secondsSince(started);
    report.createLatencies = latencies;
    report.createErrors = failed.get();
    report.createFailures.addAll(failures);
  }

  /** One worker: takes the next tenant to create until there is none. */
  private void createUntilDone() {
    int step = Math.max(1, tenants / 10);
    for (int i = next.getAndIncrement(); i <= tenants; i = next.getAndIncrement()) {
      String slug = ProvisioningBench.slug(i);
      Response response = ProvisioningBench.createTenant(admin, slug);
      latencies[i - 1] = response.nanos();
      if (response.status() != 201) {
        failed.incrementAndGet();
        if (failures.size() < 5) {
          failures.add(slug + ": " + response.status() + " " + response.body());
        }
      }
      int done = finished.incrementAndGet();
      if (done % step == 0 || done == tenants) {
        Progress.say(
            String.format(
                Locale.ROOT,
                "create: %d/%d (%.1f s)",
                done,
                tenants,
                Sampling.secondsSince(started)));
      }
    }
  }
}
