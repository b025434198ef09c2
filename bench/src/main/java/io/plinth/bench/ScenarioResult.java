package io.plinth.bench;

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
    double[] sorted = millis.clone();
    java.util.Arrays.sort(sorted);
    double sum = 0;
    for (double m : sorted) {
      sum += m;
    }
    return new ScenarioResult(
        name,
        sorted.length,
        0,
        seconds,
        sorted.length == 0 ? Double.NaN : sum / sorted.length,
        percentile(sorted, 0.50),
        percentile(sorted, 0.90),
        percentile(sorted, 0.99),
        sorted[sorted.length - 1],
        0,
        List.of());
  }

  double requestsPerSecond() {
    return requests / seconds;
  }

  double recordsPerSecond() {
    return records / seconds;
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
