package io.plinth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  private static final double[] TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

  @Test
  void nearestRank() {
    assertThat(Percentiles.nearestRank(TEN, 0.50)).isEqualTo(5);
    assertThat(Percentiles.nearestRank(TEN, 0.51)).isEqualTo(6);
    assertThat(Percentiles.nearestRank(TEN, 0.90)).isEqualTo(9);
    assertThat(Percentiles.nearestRank(TEN, 0.99)).isEqualTo(10);
    assertThat(Percentiles.nearestRank(TEN, 0)).isEqualTo(1);
    assertThat(Percentiles.nearestRank(TEN, 1)).isEqualTo(10);
    assertThat(Percentiles.nearestRank(new double[] {7}, 0.99)).isEqualTo(7);
  }

  @Test
  void ofNanosecondsInAnyOrderInMilliseconds() {
    long[] nanos = {3_000_000, 1_000_000, 2_000_000, 4_000_000};
    assertThat(Percentiles.millis(nanos, 0.5)).isEqualTo(2.0);
    assertThat(Percentiles.millis(nanos, 0.99)).isEqualTo(4.0);
    assertThat(nanos[0]).as("the samples are left as they were").isEqualTo(3_000_000);
  }

  @Test
  void theLowerMedian() {
    assertThat(Percentiles.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Percentiles.median(new double[] {4, 1, 3, 2})).isEqualTo(2);
    assertThat(Percentiles.median(new double[0])).isNaN();
  }
}
