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

  double requestsPerSecond() {
    return requests / seconds;
  }

  double recordsPerSecond() {
    return records / seconds;
  }
}
