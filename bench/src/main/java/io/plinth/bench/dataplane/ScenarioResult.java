package io.plinth.bench.dataplane;

import io.plinth.bench.report.Latency;
import java.util.List;

/**
 * What one measured run gave, whichever tool drove it: requests, the records they carried, latency
 * in milliseconds (NaN where the tool does not report it) and the requests that failed.
 */
record ScenarioResult(
    String name,
    long requests,
    long records,
    double seconds,
    double avg,
    double p50,
    double p90,
    double p99,
    double max,
    long errors,
    List<String> errorSamples) {

  /**
   * Requests timed one by one: {@code millis} their latencies, over {@code seconds} of wall time.
   */
  static ScenarioResult of(String name, double[] millis, double seconds) {
    Latency latency = Latency.ofMillis(millis);
    return new ScenarioResult(
        name,
        latency.count(),
        0,
        seconds,
        latency.avg(),
        latency.p50(),
        latency.p90(),
        latency.p99(),
        latency.max(),
        0,
        List.of());
  }

  double requestsPerSecond() {
    return requests / seconds;
  }

  double recordsPerSecond() {
    return records / seconds;
  }
}
