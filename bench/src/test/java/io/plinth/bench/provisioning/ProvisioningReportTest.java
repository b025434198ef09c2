package io.plinth.bench.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.bench.report.Latency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvisioningReportTest {

  private static ProvisioningReport report() {
    ProvisioningReport r = new ProvisioningReport();
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores (nproc)", "2  (AMD EPYC)");
    machine.put("memory", "23.4 GiB");
    machine.put("java -version", "openjdk 17 | x");
    r.machine = machine;
    r.postgresVersion = "PostgreSQL 14.22 on x86_64";
    r.coldStart = 7.123;
    r.stop = 1.5;
    r.restart = 3.25;
    r.createWall = 56.7;
    long[] latencies = new long[1000];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = (long) (150e6 + ((i * 7919L) % 1000) * 0.45e6);
    }
    r.createLatencies = latencies;
    r.createErrors = 2;
    r.createFailures.add("bench-00012: 500 {\"code\":\"x\"}");
    r.requestErrors.set(1);
    r.listBefore =
        Latency.ofNanos(new long[] {3_500_000, 2_900_000, 4_100_000, 12_300_000, 3_300_000});
    r.getBefore = Latency.ofNanos(new long[] {2_600_000, 2_700_000});
    r.listAfter = Latency.ofNanos(latencies, 0, 200);
    r.getAfter = Latency.ofNanos(latencies, 500, 700);
    r.walkedTenants = 1000;
    r.migrationWall = 22.1;
    r.migrationServer = 21.6;
    r.migrationTotal = 1001;
    r.migrationDone = 1000;
    r.migrationFailed = 1;
    r.migrationParallelism = 4;
    r.migrationFailures.add("{\"tenant\":\"bench-00007\"}");
    r.catalog.put("1 tenant", new Catalog(450, 12, "9 MB", "2 MB", 40));
    r.catalog.put("1001 tenants", new Catalog(9451, 1013, "93 MB", "20 MB", 3100));
    r.catalog.put("after migration", new Catalog(11451, 1013, "101 MB", "24 MB", -1));
    return r;
  }

  @Test
  void printsTheTableAsItAlwaysHas() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report()
        .print(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), new ProvisioningOptions(1000, 4));

    try (InputStream in = getClass().getResourceAsStream("report.txt")) {
      assertThat(bytes.toString(StandardCharsets.UTF_8))
          .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void errorsAreFailedCreatesUnexpectedAnswersAndFailedMigrations() {
    assertThat(report().errors()).isEqualTo(2 + 1 + 1);
  }

  @Test
  void sessionsPerTenantLeaveOutTheSnapshotsOwnAndNeedBothCounts() {
    List<Catalog> snapshots =
        List.of(
            new Catalog(1, 1, "", "", 40),
            new Catalog(1, 1, "", "", 3041),
            new Catalog(1, 1, "", "", -1));

    assertThat(ProvisioningReport.perTenant(snapshots, 0, 1000)).isEqualTo("3.0");
    assertThat(ProvisioningReport.perTenant(snapshots, 1, 1000)).isEqualTo("?");
    assertThat(ProvisioningReport.perTenant(snapshots.subList(0, 1), 0, 1000)).isEqualTo("?");
  }
}
