package io.plinth.tenantapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void findsSelectorsBareOrWithMatchersOrRanges() {
    assertThat(
            PromQlNames.of(
                "sum by (service) (rate(plinth_tenant_requests_total{status=\"5xx\"}[5m]))"
                    + " / sum by (service) (rate(plinth_tenant_requests_total[5m])) > 0.05"))
        .containsExactly("plinth_tenant_requests_total");
    assertThat(PromQlNames.of("plinth_ready == 0")).containsExactly("plinth_ready");
  }

  @Test
  void leavesOutFunctionsKeywordsLabelsStringsAndVariables() {
    assertThat(
            PromQlNames.of(
                "histogram_quantile(0.99, sum by (le, route) (rate("
                    + "plinth_tenant_request_duration_seconds_bucket{tenant=~\"$tenant\","
                    + " route!=\"a b\"}[$__rate_interval])))"))
        .containsExactly("plinth_tenant_request_duration_seconds_bucket");
    assertThat(
            PromQlNames.of(
                "max by (pool_name) (vertx_pool_in_use) / on (pool_name) group_left"
                    + " max by (pool_name) (plinth_db_pool_max_connections) and on (x) up"))
        .containsExactly("vertx_pool_in_use", "plinth_db_pool_max_connections", "up");
  }

  @Test
  void findsNamesInsideSubqueries() {
    assertThat(
            PromQlNames.of(
                "max(plinth_cluster_members) < max_over_time(max(plinth_cluster_members)[30m:1m])"))
        .containsExactly("plinth_cluster_members");
  }

  @Test
  void readsGrafanasLabelValuesQueries() {
    assertThat(PromQlNames.of("label_values(plinth_tenant_requests_total, tenant)"))
        .containsExactly("plinth_tenant_requests_total");
  }

  @Test
  void findsTheLabelsEachSelectorMatchesOn() {
    assertThat(
            PromQlNames.matchedLabels(
                "sum(rate(plinth_tenant_requests_total{tenant=~\"$tenant\",status=\"5xx\"}[5m]))"
                    + " / sum(rate(plinth_tenant_requests_total{route!=\"a,b=c\"}[5m]))"
                    + " + max(vertx_pool_in_use{pool_type=\"sql\"}) + plinth_ready"))
        .containsOnlyKeys("plinth_tenant_requests_total", "vertx_pool_in_use")
        .containsEntry(
            "plinth_tenant_requests_total",
            new java.util.LinkedHashSet<>(java.util.List.of("tenant", "status", "route")))
        .containsEntry("vertx_pool_in_use", java.util.Set.of("pool_type"));
  }
}
