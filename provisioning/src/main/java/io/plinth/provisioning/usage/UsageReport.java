package io.plinth.provisioning.usage;

import io.plinth.platform.registry.UsageMinutes;
import io.plinth.platform.registry.UsageSamples;
import io.plinth.platform.usage.UsageCounts;
import io.plinth.platform.usage.UsageSeries;
import io.plinth.provisioning.tenants.TenantLifecycle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The usage series of one tenant or of the platform: at most a range's counted periods (1,440 for a
 * day) and measurements (288) read by index, added up into steps by {@link UsageSeries}.
 */
public final class UsageReport {

  private final TenantLifecycle tenants;
  private final UsageMinutes minutes;
  private final UsageSamples samples;
  private final Duration retention;
  private final Clock clock;

  public UsageReport(
      TenantLifecycle tenants,
      UsageMinutes minutes,
      UsageSamples samples,
      Duration retention,
      Clock clock) {
    this.tenants = tenants;
    this.minutes = minutes;
    this.samples = samples;
    this.retention = retention;
    this.clock = clock;
  }

  /** The series of {@code tenant} (a live tenant's slug, else 404), or of all tenants. */
  public Future<JsonObject> series(UsageSeries.Range range, Optional<String> tenant) {
    Future<UUID> id =
        tenant
            .map(slug -> tenants.get(slug).map(found -> found.id()))
            .orElse(Future.succeededFuture(UsageCounts.PLATFORM));
    Instant now = clock.instant();
    Instant from = range.from(now);
    return id.compose(
        whose -> {
          Future<java.util.List<UsageMinutes.Minute>> counted = minutes.since(whose, from);
          Future<java.util.List<UsageSamples.Sample>> measured = samples.since(whose, from);
          return Future.all(counted, measured)
              .map(
                  ignored ->
                      UsageSeries.build(
                          range, now, retention, counted.result(), measured.result()));
        });
  }
}
