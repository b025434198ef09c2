package io.plinth.provisioning.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.registry.MigrationRuns;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.platform.registry.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry says about the whole installation, refreshed every {@link #PERIOD}: tenants by
 * status ({@code plinth_tenants}: one stuck in {@code provisioning} or {@code failed} is work for
 * the operator) and the newest fleet migration's progress ({@code plinth_fleet_migration_tenants}
 * by state, {@code plinth_fleet_migration_running}). Every control-plane node reports the same
 * figures, so dashboards take the {@code max} over nodes. Statuses and states are fixed sets.
 */
public final class ControlPlaneMetrics {

  public static final Duration PERIOD = Duration.ofSeconds(30);
  private static final List<String> RUN_STATES = List.of("pending", "running", "done", "failed");
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMetrics.class);

  private final TenantRepository tenants;
  private final MigrationRuns runs;
  private final Map<TenantStatus, AtomicLong> byStatus = new EnumMap<>(TenantStatus.class);
  private final Map<String, AtomicLong> runTenants = new LinkedHashMap<>();
  private final AtomicLong running = new AtomicLong();

  public ControlPlaneMetrics(MeterRegistry meters, TenantRepository tenants, MigrationRuns runs) {
    this.tenants = tenants;
    this.runs = runs;
    for (TenantStatus status : TenantStatus.values()) {
      AtomicLong count = new AtomicLong();
      byStatus.put(status, count);
      Gauge.builder("plinth.tenants", count, AtomicLong::get)
          .description("Tenants in the registry by status")
          .tag("status", status.wire())
          .register(meters);
    }
    for (String state : RUN_STATES) {
      AtomicLong count = new AtomicLong();
      runTenants.put(state, count);
      Gauge.builder("plinth.fleet.migration.tenants", count, AtomicLong::get)
          .description("Tenants of the newest fleet migration run by state")
          .tag("state", state)
          .register(meters);
    }
    Gauge.builder("plinth.fleet.migration.running", running, AtomicLong::get)
        .description("1 while the newest fleet migration run is running")
        .register(meters);
  }

  /** Refreshes now and every {@link #PERIOD}; a failed refresh keeps the last figures. */
  public void refreshEvery(Vertx vertx) {
    vertx.setPeriodic(1, PERIOD.toMillis(), ignored -> refresh());
  }

  public Future<Void> refresh() {
    Future<Void> statuses =
        tenants
            .countByStatus()
            .map(
                counts -> {
                  byStatus.forEach((status, count) -> count.set(counts.getOrDefault(status, 0L)));
                  return null;
                });
    Future<Void> migration =
        runs.page(Optional.empty(), 1, 0)
            .map(
                newest -> {
                  Map<String, Long> states =
                      newest.isEmpty() ? Map.of() : newest.get(0).tenantsByState();
                  runTenants.forEach((state, count) -> count.set(states.getOrDefault(state, 0L)));
                  running.set(
                      !newest.isEmpty() && "running".equals(newest.get(0).status()) ? 1 : 0);
                  return null;
                });
    return Future.join(statuses, migration)
        .<Void>mapEmpty()
        .onFailure(e -> LOG.debug("registry figures not refreshed: {}", e.getMessage()));
  }
}
