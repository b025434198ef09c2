package io.plinth.platform.usage;

import io.plinth.platform.registry.TenantUsage;
import io.plinth.platform.registry.UsageMinutes;
import io.plinth.platform.registry.UsageSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The usage series as {@code GET /admin/v1/usage/series} shows it: one point per step, oldest
 * first, the step that holds {@code now} last (still filling), steps without traffic present with
 * zeros. Requests, errors and latency histograms of the counted periods in a step add up; rows and
 * storage are those of the latest measurement before the step's end (null before the first).
 */
public final class UsageSeries {

  /** The ranges shown, each with its step. */
  public enum Range {
    HOUR("1h", Duration.ofHours(1), Duration.ofSeconds(60)),
    DAY("24h", Duration.ofHours(24), Duration.ofSeconds(600));

    private final String wire;
    private final Duration length;
    private final Duration step;

    Range(String wire, Duration length, Duration step) {
      this.wire = wire;
      this.length = length;
      this.step = step;
    }

    public String wire() {
      return wire;
    }

    public Duration step() {
      return step;
    }

    /** The range named {@code text} ({@code 1h}, {@code 24h}). */
    public static Optional<Range> of(String text) {
      for (Range range : values()) {
        if (range.wire.equals(text)) {
          return Optional.of(range);
        }
      }
      return Optional.empty();
    }

    /** The first step's start, for a series that ends with the step holding {@code now}. */
    public Instant from(Instant now) {
      long stepMs = step.toMillis();
      long end = now.toEpochMilli() - Math.floorMod(now.toEpochMilli(), stepMs) + stepMs;
      return Instant.ofEpochMilli(end - length.toMillis());
    }

    int points() {
      return (int) (length.toMillis() / step.toMillis());
    }
  }

  private UsageSeries() {}

  /**
   * @param minutes the counted periods from {@link Range#from} on, oldest first
   * @param samples the measurements from then on, oldest first, after the last one before it
   */
  public static JsonObject build(
      Range range,
      Instant now,
      Duration retention,
      List<UsageMinutes.Minute> minutes,
      List<UsageSamples.Sample> samples) {
    Instant from = range.from(now);
    long stepMs = range.step().toMillis();
    JsonArray points = new JsonArray();
    int minute = 0;
    int sample = 0;
    TenantUsage stored = null;
    for (int i = 0; i < range.points(); i++) {
      Instant start = from.plusMillis(i * stepMs);
      Instant end = start.plusMillis(stepMs);
      long requests = 0;
      long errors = 0;
      long[] latency = new long[0];
      while (minute < minutes.size() && minutes.get(minute).at().isBefore(end)) {
        UsageMinutes.Minute counted = minutes.get(minute++);
        if (!counted.at().isBefore(start)) {
          requests += counted.counts().requests();
          errors += counted.counts().errors();
          latency = LatencyHistogram.add(latency, counted.counts().latency());
        }
      }
      while (sample < samples.size() && samples.get(sample).at().isBefore(end)) {
        stored = samples.get(sample++).usage();
      }
      points.add(
          new JsonObject()
              .put("at", start.toString())
              .put("requests", requests)
              .put("errors", errors)
              .put("requestsPerSecond", requests * 1000.0 / stepMs)
              .put("errorRate", requests == 0 ? 0.0 : (double) errors / requests)
              .put("p99Ms", LatencyHistogram.quantileMs(latency, 0.99))
              .put("rows", stored == null ? null : stored.rows())
              .put("storageBytes", stored == null ? null : stored.storageBytes()));
    }
    return new JsonObject()
        .put("range", range.wire())
        .put("stepSeconds", range.step().toSeconds())
        .put("retentionHours", retention.toHours())
        .put("points", points);
  }
}
