package io.plinth.platform.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  private static long ms(double millis) {
    return (long) (millis * TimeUnit.MILLISECONDS.toNanos(1));
  }

  @Test
  void bucketsAreLogScaleWithEachBoundInItsOwnBucket() {
    assertThat(LatencyHistogram.bucketOf(0)).isZero();
    assertThat(LatencyHistogram.bucketOf(ms(0.25))).isZero();
    assertThat(LatencyHistogram.bucketOf(ms(0.26))).isEqualTo(1);
    assertThat(LatencyHistogram.upperBoundMs(2)).isEqualTo(0.5);
    assertThat(LatencyHistogram.bucketOf(ms(100))).isEqualTo(18); // 0.25 × 2^9 = 128 ms
    assertThat(LatencyHistogram.upperBoundMs(18)).isEqualTo(128.0);
    assertThat(LatencyHistogram.bucketOf(ms(10 * 60_000)))
        .as("slower than the last bound")
        .isEqualTo(LatencyHistogram.BUCKETS - 1);
  }

  @Test
  void p99OfOneNodeIsTheBucketOfTheSlowestPercent() {
    long[] counts = new long[LatencyHistogram.BUCKETS];
    for (int i = 0; i < 990; i++) {
      counts[LatencyHistogram.bucketOf(ms(3))]++;
    }
    for (int i = 0; i < 10; i++) {
      counts[LatencyHistogram.bucketOf(ms(700))]++;
    }
    assertThat(LatencyHistogram.quantileMs(counts, 0.99)).isEqualTo(4.0);
    assertThat(LatencyHistogram.quantileMs(counts, 0.995))
        .as("the slow bucket's bound: within a factor √2 above the latency")
        .isBetween(700.0, 700 * Math.sqrt(2));
  }

  @Test
  void p99OfMergedNodesSeesTheSlowNodeThatAverageOfP99sWouldHide() {
    // Node a: 1,000 fast requests; node b: 50 requests, all slow. Together 4.8% are slow, so the
    // platform's p99 is slow, although a's own p99 is fast.
    long[] a = LatencyHistogram.trimmed(histogramOf(1_000, ms(2)));
    long[] b = LatencyHistogram.trimmed(histogramOf(50, ms(1_500)));
    long[] merged = LatencyHistogram.add(a, b);

    assertThat(a).hasSizeLessThan(b.length); // stored without trailing empty buckets
    assertThat(LatencyHistogram.quantileMs(a, 0.99)).isEqualTo(2.0);
    assertThat(LatencyHistogram.quantileMs(merged, 0.99)).isEqualTo(2048.0);
    assertThat(LatencyHistogram.quantileMs(merged, 0.5)).isEqualTo(2.0);
    assertThat(LatencyHistogram.add(b, a)).isEqualTo(merged);
  }

  @Test
  void nothingCountedHasNoPercentile() {
    assertThat(LatencyHistogram.quantileMs(new long[0], 0.99)).isNull();
    assertThat(LatencyHistogram.quantileMs(new long[5], 0.99)).isNull();
  }

  private static long[] histogramOf(int requests, long nanos) {
    long[] counts = new long[LatencyHistogram.BUCKETS];
    counts[LatencyHistogram.bucketOf(nanos)] = requests;
    return counts;
  }
}
