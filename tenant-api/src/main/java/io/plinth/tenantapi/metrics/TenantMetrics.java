package io.plinth.tenantapi.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.metrics.BoundedTags;
import io.plinth.tenantapi.auth.ApiKeyAuthentication;
import io.plinth.tenantapi.auth.Caller;
import io.plinth.tenantapi.records.RecordRoutes;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data plane's per-tenant metrics, counted when each {@code /v1} response ends: requests by
 * route class and status class, latency as a histogram of a few fixed buckets, refusals (rate
 * limits, quota, a full queue), authentication failures by reason, the owner-scoped record misses
 * that probing ids looks like, invalid keys by client network, and how full each tenant's storage
 * quota is. Tenant and network tags are bounded by {@link BoundedTags}: the busiest tenants (by
 * requests, and separately by authentication failures) and the networks sending the most invalid
 * keys have values of their own, the rest count under {@code _other}; requests that name no tenant
 * under {@code _none}. Meters are made once per tenant tag and kept until the tag is dropped, so a
 * request costs two map lookups and a few increments.
 */
public final class TenantMetrics implements Handler<RoutingContext> {

  public static final String REQUESTS = "plinth.tenant.requests";
  public static final String DURATION = "plinth.tenant.request.duration";
  public static final String REFUSED = "plinth.tenant.refused";
  public static final String OWNER_MISSES = "plinth.tenant.owner.record.misses";
  public static final String STORAGE_QUOTA = "plinth.tenant.storage.quota.used";
  public static final String AUTH_FAILURES = "plinth.auth.failures";
  public static final String INVALID_KEY_SOURCES = "plinth.auth.invalid.key.sources";

  /** The tenant tag of a request that names no tenant (no key, or one that is not valid). */
  public static final String NONE = "_none";

  /** How often the tagged tenants and networks are re-elected. */
  public static final Duration ELECTION_PERIOD = Duration.ofMinutes(1);

  /** Latency buckets: the service levels a dashboard or alert would ask about. */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500)
  };

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  private static final RouteClass[] ROUTES = RouteClass.values();

  /** Key refusals that a burst of means someone is guessing or replaying keys. */
  private static final Set<String> INVALID_KEY_REASONS =
      Set.of(
          ApiKeyAuthentication.MALFORMED_KEY,
          ApiKeyAuthentication.UNKNOWN_KEY,
          ApiKeyAuthentication.REVOKED_KEY,
          ApiKeyAuthentication.EXPIRED_KEY);

  private final MeterRegistry registry;
  private final BoundedTags tenants;
  private final BoundedTags failingTenants;
  private final BoundedTags sources;
  private final Map<String, TenantMeters> byTenant = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Counter>> failures = new ConcurrentHashMap<>();
  private final Map<String, Counter> bySource = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> quotaUsed = new ConcurrentHashMap<>();

  /**
   * @param tenantTags most tenants with a tag value of their own (requests; auth failures apart)
   * @param sourceTags most client networks with a tag value of their own
   */
  public TenantMetrics(MeterRegistry registry, int tenantTags, int sourceTags) {
    this.registry = registry;
    this.tenants = new BoundedTags(tenantTags, this::dropTenant);
    this.failingTenants = new BoundedTags(tenantTags, this::dropFailingTenant);
    this.sources = new BoundedTags(sourceTags, this::dropSource);
  }

  /**
   * Re-elects the tagged tenants and networks; the service calls it every {@link #ELECTION_PERIOD}.
   */
  public void elect() {
    tenants.elect();
    failingTenants.elect();
    sources.elect();
    AtomicLong others = quotaUsed.get(BoundedTags.OTHER);
    if (others != null) {
      others.set(Double.doubleToLongBits(0)); // the untagged measured from now on
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ignored -> ended(ctx, System.nanoTime() - start));
    ctx.next();
  }

  private void ended(RoutingContext ctx, long nanos) {
    Caller caller = Caller.find(ctx);
    // What only a failure needs is read only for one: most requests succeed.
    ProblemException problem = ctx.failure() instanceof ProblemException p ? p : null;
    count(
        caller == null ? null : caller.tenantSlug(),
        RouteClass.of(ctx.request().method(), ctx.normalizedPath()),
        ctx.response().getStatusCode(),
        nanos,
        problem,
        problem == null ? null : ctx.get(ApiKeyAuthentication.REFUSED_KEY_TENANT),
        problem == null ? null : ctx.request().remoteAddress());
  }

  /**
   * Counts one ended request.
   *
   * @param tenant the caller's tenant slug, null when the request has no caller
   * @param problem what the request failed with, or null
   * @param refusedKeyTenant the slug of the tenant whose key was refused, or null
   */
  void count(
      String tenant,
      RouteClass route,
      int status,
      long nanos,
      ProblemException problem,
      String refusedKeyTenant,
      SocketAddress client) {
    TenantMeters meters = meters(tenant == null ? NONE : tenants.tagFor(tenant));
    meters.requests(route, status).increment();
    if (route != RouteClass.CHANGES) { // streams stay open for minutes: not a latency
      meters.latency(route).record(nanos, TimeUnit.NANOSECONDS);
    }
    if (problem == null) {
      return;
    }
    String code = problem.problem().code();
    switch (code) {
      case "rate_limited" ->
          meters
              .refused("key".equals(problem.reason()) ? "rate_limited_key" : "rate_limited_tenant")
              .increment();
      case "quota_exceeded", "tenant_busy" -> meters.refused(code).increment();
      case "record_not_found" -> {
        if (RecordRoutes.OWNER_SCOPED.equals(problem.reason())) {
          meters.ownerMisses().increment();
        }
      }
      case "missing_api_key", "invalid_api_key", "tenant_suspended", "invalid_user_token" ->
          authFailed(
              tenant != null ? tenant : refusedKeyTenant,
              problem.reason() == null ? code : problem.reason(),
              client);
      default -> {}
    }
  }

  private void authFailed(String slug, String reason, SocketAddress client) {
    String tenant = slug == null ? NONE : failingTenants.tagFor(slug);
    failures
        .computeIfAbsent(tenant, ignored -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder(AUTH_FAILURES)
                    .description(
                        "Requests refused for their credentials, by reason (unknown_key,"
                            + " revoked_key, token_issuer, ...); tenant _none: no tenant known")
                    .tag("tenant", tenant)
                    .tag("reason", r)
                    .register(registry))
        .increment();
    if (INVALID_KEY_REASONS.contains(reason)) {
      String source = sources.tagFor(network(client));
      bySource
          .computeIfAbsent(
              source,
              s ->
                  Counter.builder(INVALID_KEY_SOURCES)
                      .description(
                          "Invalid, revoked or expired API keys by client network (/24, /48);"
                              + " only the networks sending the most have their own")
                      .tag("source", s)
                      .register(registry))
          .increment();
    }
  }

  /**
   * How full a tenant's storage quota was at its last measurement, 0 to 1 (and past 1 when over).
   * Tenants without a tag of their own share {@code _other}, which shows the fullest of them
   * measured since the last election.
   */
  public void storageMeasured(String tenantSlug, double used) {
    String tenant = tenants.currentTagOf(tenantSlug);
    AtomicLong bits =
        quotaUsed.computeIfAbsent(
            tenant,
            t -> {
              AtomicLong value = new AtomicLong(Double.doubleToLongBits(0));
              Gauge.builder(STORAGE_QUOTA, value, v -> Double.longBitsToDouble(v.get()))
                  .description("Share of the plan's storage quota in use, at the last measurement")
                  .tag("tenant", t)
                  .register(registry);
              return value;
            });
    if (BoundedTags.OTHER.equals(tenant)) {
      bits.accumulateAndGet(
          Double.doubleToLongBits(used),
          (a, b) -> Double.longBitsToDouble(a) >= Double.longBitsToDouble(b) ? a : b);
    } else {
      bits.set(Double.doubleToLongBits(used));
    }
  }

  private TenantMeters meters(String tenant) {
    TenantMeters meters = byTenant.get(tenant);
    return meters != null ? meters : byTenant.computeIfAbsent(tenant, TenantMeters::new);
  }

  private void dropTenant(String tenant) {
    byTenant.remove(tenant);
    quotaUsed.remove(tenant);
    removeAll(List.of(REQUESTS, DURATION, REFUSED, OWNER_MISSES, STORAGE_QUOTA), "tenant", tenant);
  }

  private void dropFailingTenant(String tenant) {
    failures.remove(tenant);
    removeAll(List.of(AUTH_FAILURES), "tenant", tenant);
  }

  private void dropSource(String source) {
    bySource.remove(source);
    removeAll(List.of(INVALID_KEY_SOURCES), "source", source);
  }

  private void removeAll(List<String> names, String tag, String value) {
    for (String name : names) {
      registry.find(name).tag(tag, value).meters().forEach(registry::remove);
    }
  }

  /**
   * The network a client address belongs to: {@code a.b.c.0/24} for IPv4, the first three groups
   * and {@code ::/48} for IPv6; what one party usually holds, so a burst from rotating addresses
   * still shows as one.
   */
  static String network(SocketAddress address) {
    String host = address == null ? null : address.hostAddress();
    if (host == null || host.isEmpty()) {
      return "unknown";
    }
    if (host.indexOf(':') < 0) {
      int lastDot = host.lastIndexOf('.');
      return lastDot < 0 ? "unknown" : host.substring(0, lastDot) + ".0/24";
    }
    String[] groups = host.split(":", -1);
    if (groups.length < 3) {
      return "unknown";
    }
    return groups[0] + ":" + groups[1] + ":" + groups[2] + "::/48";
  }

  /** One tenant tag's meters, made on first use (a race registers the same meter twice: fine). */
  private final class TenantMeters {
    private final String tenant;
    private final Counter[] requests = new Counter[ROUTES.length * STATUS_CLASSES.length];
    private final Timer[] latency = new Timer[ROUTES.length];
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private volatile Counter ownerMisses;

    TenantMeters(String tenant) {
      this.tenant = tenant;
    }

    Counter requests(RouteClass route, int status) {
      int statusClass = Math.min(Math.max(status / 100, 1), 5) - 1;
      int i = route.ordinal() * STATUS_CLASSES.length + statusClass;
      Counter counter = requests[i];
      if (counter == null) {
        counter =
            Counter.builder(REQUESTS)
                .description("Requests of /v1 by tenant, route class and status class")
                .tag("tenant", tenant)
                .tag("route", route.tag())
                .tag("status", STATUS_CLASSES[statusClass])
                .register(registry);
        requests[i] = counter;
      }
      return counter;
    }

    Timer latency(RouteClass route) {
      Timer timer = latency[route.ordinal()];
      if (timer == null) {
        timer =
            Timer.builder(DURATION)
                .description("Time to answer a /v1 request, by tenant and route class")
                .tag("tenant", tenant)
                .tag("route", route.tag())
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        latency[route.ordinal()] = timer;
      }
      return timer;
    }

    Counter refused(String reason) {
      return refused.computeIfAbsent(
          reason,
          r ->
              Counter.builder(REFUSED)
                  .description(
                      "Requests refused by a limit: rate_limited_key, rate_limited_tenant,"
                          + " quota_exceeded, tenant_busy")
                  .tag("tenant", tenant)
                  .tag("reason", r)
                  .register(registry));
    }

    Counter ownerMisses() {
      Counter counter = ownerMisses;
      if (counter == null) {
        counter =
            Counter.builder(OWNER_MISSES)
                .description(
                    "404s on a record by id for an end user limited to their own records: the"
                        + " record is someone else's or none; a burst is someone probing ids")
                .tag("tenant", tenant)
                .register(registry);
        ownerMisses = counter;
      }
      return counter;
    }
  }
}
