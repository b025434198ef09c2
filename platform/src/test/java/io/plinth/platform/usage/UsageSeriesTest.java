package io.plinth.platform.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.registry.TenantUsage;
import io.plinth.platform.registry.UsageMinutes;
import io.plinth.platform.registry.UsageSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageSeriesTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:34:56Z");

  private static UsageMinutes.Minute minute(
      String at, long requests, long errors, long... latency) {
    return new UsageMinutes.Minute(
        Instant.parse(at), new UsageCounts(UsageCounts.PLATFORM, requests, errors, latency));
  }

  private static UsageSamples.Sample sample(String at, long rows, long bytes) {
    return new UsageSamples.Sample(Instant.parse(at), new TenantUsage(rows, bytes));
  }

  @Test
  void anHourIsSixtyMinutesEndingWithTheOneThatRuns() {
    JsonObject series =
        UsageSeries.build(UsageSeries.Range.HOUR, NOW, Duration.ofHours(24), List.of(), List.of());

    assertThat(series.getString("range")).isEqualTo("1h");
    assertThat(series.getLong("stepSeconds")).isEqualTo(60);
    assertThat(series.getLong("retentionHours")).isEqualTo(24);
    JsonArray points = series.getJsonArray("points");
    assertThat(points).hasSize(60);
    assertThat(points.getJsonObject(0).getString("at")).isEqualTo("2026-03-01T11:35:00Z");
    assertThat(points.getJsonObject(59).getString("at")).isEqualTo("2026-03-01T12:34:00Z");
    JsonObject empty = points.getJsonObject(10);
    assertThat(empty.getLong("requests")).isZero();
    assertThat(empty.getDouble("errorRate")).isZero();
    assertThat(empty.getValue("p99Ms")).isNull();
    assertThat(empty.getValue("rows")).isNull();
  }

  @Test
  void aDayAddsUpTenMinuteStepsWithMergedHistogramsAndTheLatestStorage() {
    int slow = LatencyHistogram.bucketOf(900_000_000L); // 900 ms
    long[] fast = new long[3];
    fast[2] = 95; // ≤ 0.5 ms
    long[] slowFive = new long[slow + 1];
    slowFive[slow] = 5;
    List<UsageMinutes.Minute> minutes =
        List.of(
            minute("2026-03-01T12:00:00Z", 95, 0, fast),
            minute("2026-03-01T12:07:00Z", 5, 5, slowFive),
            minute("2026-03-01T12:31:00Z", 30, 3, 0, 30));
    List<UsageSamples.Sample> samples =
        List.of(
            sample("2026-03-01T09:00:00Z", 10, 1000), // before the range: holds until the next
            sample("2026-03-01T12:05:00Z", 12, 1200),
            sample("2026-03-01T12:08:00Z", 15, 1500));

    JsonArray points =
        UsageSeries.build(UsageSeries.Range.DAY, NOW, Duration.ofHours(24), minutes, samples)
            .getJsonArray("points");

    assertThat(points).hasSize(144);
    JsonObject last = points.getJsonObject(143);
    assertThat(last.getString("at")).isEqualTo("2026-03-01T12:30:00Z");
    assertThat(last.getLong("requests")).isEqualTo(30);
    JsonObject noon = points.getJsonObject(141);
    assertThat(noon.getString("at")).isEqualTo("2026-03-01T12:10:00Z");
    assertThat(noon.getLong("requests")).isZero();
    JsonObject tenPast = points.getJsonObject(140);
    assertThat(tenPast.getString("at")).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(tenPast.getLong("requests")).isEqualTo(100);
    assertThat(tenPast.getLong("errors")).isEqualTo(5);
    assertThat(tenPast.getDouble("requestsPerSecond")).isEqualTo(100 / 600.0);
    assertThat(tenPast.getDouble("errorRate")).isEqualTo(0.05);
    assertThat(tenPast.getDouble("p99Ms")).isEqualTo(LatencyHistogram.upperBoundMs(slow));
    assertThat(tenPast.getLong("rows")).as("the latest measurement in the step").isEqualTo(15);
    assertThat(points.getJsonObject(139).getLong("storageBytes")).isEqualTo(1000);
    assertThat(noon.getLong("storageBytes")).as("carried forward").isEqualTo(1500);
  }
}
