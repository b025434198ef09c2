package io.plinth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void ofMillisecondsInAnyOrder() {
    Latency l = Latency.ofMillis(new double[] {4, 1, 3, 2});

    assertThat(l).isEqualTo(new Latency(4, 2.5, 2, 4, 4, 4));
  }

  @Test
  void ofARangeOfNanoseconds() {
    long[] nanos = new long[200];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (200 - i) * 1_000_000L; // 200 ms down to 1 ms
    }

    Latency lastHundred = Latency.ofNanos(nanos, 100, 200); // 100 ms down to 1 ms

    assertThat(lastHundred.count()).isEqualTo(100);
    assertThat(lastHundred.p50()).isEqualTo(50.0);
    assertThat(lastHundred.p90()).isEqualTo(90.0);
    assertThat(lastHundred.p99()).isEqualTo(99.0);
    assertThat(lastHundred.max()).isEqualTo(100.0);
    assertThat(lastHundred.avg()).isEqualTo(50.5);
    assertThat(Latency.ofNanos(nanos).max()).isEqualTo(200.0);
  }
}
