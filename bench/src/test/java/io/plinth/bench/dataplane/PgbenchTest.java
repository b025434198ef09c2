package io.plinth.bench.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.plinth.bench.report.Percentiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgbenchTest {

  @Test
  void readsTpsLatencyAndFailures() {
    String output =
        """
        pgbench (15.20 (Debian 15.20-0+deb12u1), server 14.22)
        progress: 5.0 s, 19012.3 tps, lat 1.680 ms stddev 0.912, 0 failed
        transaction type: <builtin: select only>
        scaling factor: 10
        query mode: simple
        number of clients: 32
        number of threads: 2
        maximum number of tries: 1
        duration: 15 s
        number of transactions actually processed: 288123
        number of failed transactions: 2 (0.001%)
        latency average = 1.662 ms
        latency stddev = 0.934 ms
        initial connection time = 25.713 ms
        tps = 19251.118724 (without initial connection time)
        """;

    ScenarioResult r = Pgbench.parse("pgbench -S", output, 15);

    assertThat(r.requestsPerSecond()).isCloseTo(19_251.1, within(0.1));
    assertThat(r.avg()).isEqualTo(1.662);
    assertThat(r.p99()).isNaN();
    assertThat(r.errors()).isEqualTo(2);
    assertThat(r.records()).isZero();
  }

  @Test
  void readsPercentilesFromTheTransactionLogs(@TempDir Path dir) throws Exception {
    Path one = dir.resolve("pgbench_log.1");
    Path two = dir.resolve("pgbench_log.1.1");
    // client, transaction, latency in µs, script, epoch s, epoch µs; failures carry a word.
    Files.writeString(one, "0 1 1000 0 1700000000 1\n0 2 3000 0 1700000000 2\n1 1 failed 0 1 1\n");
    StringBuilder many = new StringBuilder();
    for (int i = 1; i <= 98; i++) {
      many.append("1 ").append(i).append(" 2000 0 1700000000 ").append(i).append('\n');
    }
    Files.writeString(two, many);

    double[] ms = Pgbench.logLatencies(List.of(one, two));

    assertThat(ms).hasSize(100);
    assertThat(ms[0]).isEqualTo(1.0);
    assertThat(Percentiles.nearestRank(ms, 0.50)).isEqualTo(2.0);
    assertThat(Percentiles.nearestRank(ms, 0.99)).isEqualTo(2.0);
    assertThat(Percentiles.nearestRank(ms, 1.0)).isEqualTo(3.0);
  }
}
