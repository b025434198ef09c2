package io.plinth.bench.report;

import java.util.Arrays;

/** Percentiles as every bench reports them: nearest rank, and the lower median. */
public final class Percentiles {

  private Percentiles() {}

  /**
   * The nearest-rank percentile of sorted values: the smallest value that at least a share {@code
   * q} of the values do not exceed ({@code q} 0 gives the smallest, 1 the largest).
   */
  public static double nearestRank(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The nearest-rank percentile of nanosecond samples in any order, in milliseconds. */
  public static double millis(long[] nanos, double q) {
    return nearestRank(sortedMillis(nanos, 0, nanos.length), q);
  }

  /** {@code nanos[from, to)} in milliseconds, ascending. */
  static double[] sortedMillis(long[] nanos, int from, int to) {
    long[] sorted = Arrays.copyOfRange(nanos, from, to);
    Arrays.sort(sorted);
    return Arrays.stream(sorted).mapToDouble(n -> n / 1e6).toArray();
  }

  /**
   * The lower median: the middle value of an odd count, the lower of the two middle ones of an even
   * count; NaN for no values.
   */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length == 0 ? Double.NaN : sorted[(sorted.length - 1) / 2];
  }
}
