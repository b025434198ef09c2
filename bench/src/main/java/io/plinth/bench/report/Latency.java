package io.plinth.bench.report;

import java.util.Arrays;

/**
 * Latency figures of a sample, in milliseconds: how many, the average and the nearest-rank
 * percentiles ({@link Percentiles#nearestRank}).
 */
public record Latency(int count, double avg, double p50, double p90, double p99, double max) {

  /** Of latencies in milliseconds, in any order; at least one. */
  public static Latency ofMillis(double[] millis) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return ofSorted(sorted);
  }

  /** Of nanosecond latencies in any order; at least one. */
  public static Latency ofNanos(long[] nanos) {
    return ofNanos(nanos, 0, nanos.length);
  }

  /** Of {@code nanos[from, to)}, in any order; at least one. */
  public static Latency ofNanos(long[] nanos, int from, int to) {
    return ofSorted(Percentiles.sortedMillis(nanos, from, to));
  }

  private static Latency ofSorted(double[] sorted) {
    double sum = 0;
    for (double m : sorted) {
      sum += m;
    }
    return new Latency(
        sorted.length,
        sorted.length == 0 ? Double.NaN : sum / sorted.length,
        Percentiles.nearestRank(sorted, 0.50),
        Percentiles.nearestRank(sorted, 0.90),
        Percentiles.nearestRank(sorted, 0.99),
        sorted[sorted.length - 1]);
  }
}
