package io.plinth.platform.usage;

import java.util.Arrays;

/**
 * Request latencies counted in fixed buckets on a log scale, the same on every node, so that the
 * counts of many nodes and minutes add up bucket by bucket and a percentile can be read from the
 * sum. Bucket {@code i} holds latencies up to {@code 0.25 ms × 2^(i/2)} (each bound √2 times the
 * one before, so a percentile is off by at most that factor); the last bucket holds all that is
 * slower than 65.5 s. Counts are kept as {@code long[]}, trailing empty buckets left off.
 */
public final class LatencyHistogram {

  /** Finite bounds, 0.25 ms to 65,536 ms, plus one bucket past the last. */
  public static final int BUCKETS = 38;

  private static final long[] UPPER_NANOS = new long[BUCKETS - 1];

  static {
    for (int i = 0; i < UPPER_NANOS.length; i++) {
      UPPER_NANOS[i] = Math.round(250_000 * Math.pow(2, i / 2.0));
    }
  }

  private LatencyHistogram() {}

  /** The bucket a latency of {@code nanos} falls in; no allocation, a binary search. */
  public static int bucketOf(long nanos) {
    int index = Arrays.binarySearch(UPPER_NANOS, nanos);
    return index >= 0 ? index : -index - 1; // the first bound not below nanos, else the last bucket
  }

  /** Bucket {@code i}'s upper bound in milliseconds; the last bucket's lower bound for it. */
  public static double upperBoundMs(int bucket) {
    return UPPER_NANOS[Math.min(bucket, UPPER_NANOS.length - 1)] / 1e6;
  }

  /**
   * {@code into} plus {@code counts}, bucket by bucket; the longer of the two decides the length.
   */
  public static long[] add(long[] into, long[] counts) {
    long[] sum = Arrays.copyOf(into, Math.max(into.length, counts.length));
    for (int i = 0; i < counts.length; i++) {
      sum[i] += counts[i];
    }
    return sum;
  }

  /** The counts without trailing empty buckets, as they are stored. */
  public static long[] trimmed(long[] counts) {
    int length = counts.length;
    while (length > 0 && counts[length - 1] == 0) {
      length--;
    }
    return length == counts.length ? counts : Arrays.copyOf(counts, length);
  }

  /**
   * The latency under which a fraction {@code q} of the counted requests fall, as the upper bound
   * of the bucket that holds the {@code ceil(q × n)}-th fastest; null when nothing was counted.
   */
  public static Double quantileMs(long[] counts, double q) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBoundMs(i);
      }
    }
    throw new AssertionError("rank " + rank + " past " + total);
  }
}
