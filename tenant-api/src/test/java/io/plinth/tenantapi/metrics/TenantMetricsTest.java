package io.plinth.tenantapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.metrics.BoundedTags;
import io.plinth.tenantapi.auth.ApiKeyAuthentication;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TenantMetricsTest {

  private static final long MS = 1_000_000;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TenantMetrics metrics = new TenantMetrics(registry, 2, 1);

  @Test
  void thousandsOfTenantsLeaveAtMostTheCapPlusOtherAndNone() {
    for (int window = 0; window < 5; window++) {
      for (int t = 0; t < 500; t++) {
        metrics.count("t-" + window + "-" + t, RouteClass.QUERY, 200, 3 * MS, null, null, null);
      }
      metrics.count(null, RouteClass.OTHER, 401, MS, invalidKey("unknown_key"), null, null);
      metrics.elect();
      assertThat(tagValues(TenantMetrics.REQUESTS, "tenant"))
          .hasSizeLessThanOrEqualTo(2 + 2)
          .contains(BoundedTags.OTHER, TenantMetrics.NONE);
      assertThat(tagValues(TenantMetrics.DURATION, "tenant")).hasSizeLessThanOrEqualTo(2 + 2);
    }
  }

  @Test
  void aBusyTenantKeepsItsNameAndADroppedOnesSeriesAreRemoved() {
    for (int i = 0; i < 10; i++) {
      metrics.count("busy", RouteClass.RECORDS_READ, 200, MS, null, null, null);
    }
    metrics.count("brief", RouteClass.RECORDS_READ, 200, MS, null, null, null);
    metrics.elect(); // both were seen: both keep their names
    for (int i = 0; i < 10; i++) {
      metrics.count("busy", RouteClass.RECORDS_READ, 200, MS, null, null, null);
    }
    metrics.elect(); // brief was silent for a minute

    assertThat(tagValues(TenantMetrics.REQUESTS, "tenant")).containsExactly("busy");
    assertThat(
            registry
                .find(TenantMetrics.REQUESTS)
                .tags("tenant", "busy", "route", "records.read", "status", "2xx")
                .counter()
                .count())
        .isEqualTo(20);
  }

  @Test
  void refusalsAndAuthenticationFailuresAreCountedByReason() throws Exception {
    metrics.count(
        "acme",
        RouteClass.QUERY,
        429,
        MS,
        new ProblemException(new Problem(429, "rate_limited", "slow down"), "key"),
        null,
        null);
    metrics.count(
        null,
        RouteClass.QUERY,
        401,
        MS,
        invalidKey(ApiKeyAuthentication.REVOKED_KEY),
        "acme",
        client("203.0.113.9"));
    metrics.count(
        null,
        RouteClass.QUERY,
        401,
        MS,
        invalidKey(ApiKeyAuthentication.UNKNOWN_KEY),
        null,
        client("198.51.100.1"));

    assertThat(
            registry
                .find(TenantMetrics.REFUSED)
                .tags("tenant", "acme", "reason", "rate_limited_key")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .find(TenantMetrics.AUTH_FAILURES)
                .tags("tenant", "acme", "reason", "revoked_key")
                .counter())
        .isNotNull();
    assertThat(
            registry
                .find(TenantMetrics.AUTH_FAILURES)
                .tags("tenant", TenantMetrics.NONE, "reason", "unknown_key")
                .counter())
        .isNotNull();
    // One network of its own (the cap), the second under _other.
    assertThat(tagValues(TenantMetrics.INVALID_KEY_SOURCES, "source"))
        .containsExactlyInAnyOrder("203.0.113.0/24", BoundedTags.OTHER);
  }

  private static ProblemException invalidKey(String reason) {
    return new ProblemException(new Problem(401, "invalid_api_key", "not valid"), reason);
  }

  private static SocketAddress client(String literal) throws Exception {
    return SocketAddress.inetSocketAddress(
        new InetSocketAddress(InetAddress.getByName(literal), 40000));
  }

  private Set<String> tagValues(String name, String tag) {
    Set<String> values = new TreeSet<>();
    for (Meter meter : registry.find(name).meters()) {
      values.add(meter.getId().getTag(tag));
    }
    return values;
  }
}
