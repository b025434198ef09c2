package io.plinth.bench.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WrkTest {

  private static final String REPORT =
      """
      Running 15s test @ http://127.0.0.1:41234/
        2 threads and 32 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     1.76ms  812.00us  45.10ms   90.12%
          Req/Sec     9.31k     1.02k   11.20k    71.00%
        Latency Distribution
           50%  630.00us
           75%    1.90ms
           90%    2.71ms
           99%    4.52ms
        279300 requests in 15.00s, 80.11MB read
        Socket errors: connect 0, read 2, write 0, timeout 1
        Non-2xx or 3xx responses: 4
      Requests/sec:  18620.00
      Transfer/sec:      5.34MB
      Error sample: 503 {"error":"tenant_busy"}
      Non-2xx responses: 7
      """;

  @Test
  void readsThroughputLatencyAndErrors() {
    ScenarioResult r = Wrk.parse("get", REPORT, 0);

    assertThat(r.requests()).isEqualTo(279_300);
    assertThat(r.seconds()).isEqualTo(15.0);
    assertThat(r.requestsPerSecond()).isCloseTo(18_620, within(0.5));
    assertThat(r.avg()).isEqualTo(1.76);
    assertThat(r.p50()).isCloseTo(0.63, within(1e-9));
    assertThat(r.p90()).isEqualTo(2.71);
    assertThat(r.p99()).isEqualTo(4.52);
    assertThat(r.max()).isEqualTo(45.1);
    // Our script's count of non-2xx (7), not wrk's (>= 400 only), plus 3 socket errors.
    assertThat(r.errors()).isEqualTo(10);
    assertThat(r.errorSamples())
        .containsExactly(
            "503 {\"error\":\"tenant_busy\"}",
            "Socket errors: connect 0, read 2, write 0, timeout 1");
  }

  @Test
  void countsRecordsOfSuccessfulRequestsOnly() {
    ScenarioResult r = Wrk.parse("batch", REPORT, 100);

    assertThat(r.records()).isEqualTo((279_300 - 7) * 100L);
  }

  @Test
  void fallsBackToWrksOwnCountWithoutOurs() {
    String report =
        REPORT.replace("Non-2xx responses: 7\n", "").replace("Socket errors: ", "Ignored: ");

    assertThat(Wrk.parse("get", report, 0).errors()).isEqualTo(4);
  }

  @Test
  void readsEveryDurationUnit() {
    assertThat(Wrk.millis("812.00us")).isCloseTo(0.812, within(1e-9));
    assertThat(Wrk.millis("1.20ms")).isEqualTo(1.2);
    assertThat(Wrk.millis("2.00s")).isEqualTo(2000.0);
    assertThat(Wrk.millis("1.50m")).isEqualTo(90_000.0);
    assertThatThrownBy(() -> Wrk.millis("12")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsOutputWithoutAReport() {
    assertThatThrownBy(() -> Wrk.parse("get", "unable to connect to 127.0.0.1:1", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unable to connect");
  }
}
