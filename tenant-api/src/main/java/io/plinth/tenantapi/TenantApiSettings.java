package io.plinth.tenantapi;

import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.Parsers;
import io.plinth.platform.config.Setting;
import io.plinth.tenantapi.cors.CrossOrigin;
import java.time.Duration;
import java.util.List;

/** Settings of the data plane only. */
public record TenantApiSettings(
    int tenantConcurrency,
    int tenantQueue,
    Duration changeRetention,
    boolean recordCache,
    int recordCacheTenantEntries,
    List<String> corsAllowedOrigins) {

  public static final Setting<Integer> TENANT_CONCURRENCY =
      Setting.of(
          "plinth.tenant.concurrency",
          "8",
          "Data plane: requests of one tenant that may use the database at once, per node (half"
              + " the default pool); the rest wait, so one tenant cannot take every connection.",
          Parsers.intBetween(1, 1_000));
  public static final Setting<Integer> TENANT_QUEUE =
      Setting.of(
          "plinth.tenant.queue",
          "128",
          "Data plane: requests of one tenant that may wait for the database, per node; past it"
              + " they get 503 tenant_busy with Retry-After.",
          Parsers.intBetween(0, 100_000));
  public static final Setting<Duration> CHANGE_RETENTION =
      Setting.of(
          "plinth.changes.retention",
          "24h",
          "Data plane: how long record changes stay resumable with Last-Event-ID.",
          Parsers::duration);

  public static final Setting<Boolean> RECORD_CACHE =
      Setting.of(
          "plinth.records.cache",
          "true",
          "Data plane: serve GET by id from the cluster's record cache (no near cache: every"
              + " node reads the entry's owner, and writes invalidate there before they answer)."
              + " A warm read skips PostgreSQL; see docs/performance.md.",
          Parsers::bool);

  public static final Setting<Integer> RECORD_CACHE_TENANT_ENTRIES =
      Setting.of(
          "plinth.records.cache.tenant-entries",
          "10000",
          "Data plane: records one tenant may put into the record cache per node within the"
              + " cache's 60 s time-to-live; past it the tenant's reads still work, uncached, and"
              + " other tenants' entries stay. Across the cluster a tenant holds at most this"
              + " times the number of nodes.",
          Parsers.intBetween(0, 10_000_000));

  public static final Setting<List<String>> CORS_ALLOWED_ORIGINS =
      Setting.of(
          "plinth.http.cors-allowed-origins",
          CrossOrigin.ANY,
          "Data plane: comma-separated origins (scheme://host[:port]) whose browser apps may call"
              + " /v1 and /health, or * for any; empty for none. Never with credentials: keys and"
              + " tokens go in headers.",
          Parsers.listOf(CrossOrigin::origin));

  public static final List<Setting<?>> ALL =
      List.of(
          TENANT_CONCURRENCY,
          TENANT_QUEUE,
          CHANGE_RETENTION,
          RECORD_CACHE,
          RECORD_CACHE_TENANT_ENTRIES,
          CORS_ALLOWED_ORIGINS);

  public static TenantApiSettings load(ConfigSource source) {
    return new TenantApiSettings(
        source.value(TENANT_CONCURRENCY),
        source.value(TENANT_QUEUE),
        source.value(CHANGE_RETENTION),
        source.value(RECORD_CACHE),
        source.value(RECORD_CACHE_TENANT_ENTRIES),
        source.value(CORS_ALLOWED_ORIGINS));
  }
}
