package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ci/production-values.yaml: autoscaling, an Ingress with TLS, several replicas, monitoring. */
class ProductionScenarioTest {

  static final Manifests PRODUCTION = Chart.render(Chart.scenario("production-values.yaml"));
  static final Manifests MINIMAL = Chart.render(Chart.scenario("minimal-values.yaml"));

  @Test
  void bothPlanesAutoscaleOnCpuAndTheDataPlaneAlsoOnARequestRate() {
    for (String component : ChartScenariosTest.COMPONENTS) {
      HorizontalPodAutoscaler hpa =
          PRODUCTION.get(HorizontalPodAutoscaler.class, Chart.RELEASE + "-" + component);
      assertThat(hpa.getSpec().getScaleTargetRef().getName())
          .isEqualTo(PRODUCTION.deployment(component).getMetadata().getName());
      assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
      assertThat(hpa.getSpec().getMetrics())
          .filteredOn(metric -> metric.getType().equals("Resource"))
          .singleElement()
          .satisfies(
              metric -> {
                assertThat(metric.getResource().getName()).isEqualTo("cpu");
                assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
              });
      // The HPA owns the replica count: a fixed one would fight it on every upgrade.
      assertThat(PRODUCTION.deployment(component).getSpec().getReplicas()).isNull();
    }
    HorizontalPodAutoscaler dataPlane =
        PRODUCTION.get(HorizontalPodAutoscaler.class, Chart.RELEASE + "-data-plane");
    assertThat(dataPlane.getSpec().getMetrics())
        .filteredOn(metric -> metric.getType().equals("Pods"))
        .singleElement()
        .satisfies(metric -> assertThat(metric.getPods().getMetric().getName()).isNotBlank());
    assertThat(dataPlane.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
        .isEqualTo(300);
    // Without autoscaling: fixed replicas, several of them, and no HPA.
    assertThat(MINIMAL.all(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(MINIMAL.deployment("data-plane").getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void theIngressServesBothHostsOverTlsAndNotTheMetrics() {
    Ingress ingress = PRODUCTION.get(Ingress.class, Chart.RELEASE);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(
            tls -> {
              assertThat(tls.getSecretName()).isEqualTo("plinth-tls");
              assertThat(tls.getHosts())
                  .containsExactlyInAnyOrder("api.example.com", "admin.example.com");
            });
    Map<String, IngressRule> byHost =
        ingress.getSpec().getRules().stream()
            .collect(java.util.stream.Collectors.toMap(IngressRule::getHost, rule -> rule));
    assertThat(paths(byHost.get("api.example.com"))).containsExactly("/v1", "/health");
    assertThat(byHost.get("api.example.com").getHttp().getPaths())
        .allSatisfy(
            path -> {
              assertThat(path.getBackend().getService().getName())
                  .isEqualTo(Chart.RELEASE + "-data-plane");
              assertThat(path.getBackend().getService().getPort().getNumber()).isEqualTo(8080);
            });
    assertThat(paths(byHost.get("admin.example.com"))).containsExactly("/admin", "/console");
    assertThat(byHost.values())
        .allSatisfy(rule -> assertThat(paths(rule)).doesNotContain("/metrics", "/"));
    // The console's sign-in comes back to the control plane's public host.
    assertThat(PRODUCTION.settings("control-plane").getData())
        .containsEntry("PLINTH_IDENTITY_CONSOLE_REDIRECT_URIS", "https://admin.example.com/*");
    assertThat(MINIMAL.all(Ingress.class)).isEmpty();
  }

  @Test
  void theServicesGetTheirReplicasKeycloakInstancesAndShutdownTimeout() {
    Map<String, String> controlPlane = PRODUCTION.settings("control-plane").getData();
    assertThat(controlPlane)
        .containsEntry(
            "PLINTH_IDENTITY_KEYCLOAK_INSTANCES",
            "id-a=https://id-a.example.com,id-b=https://id-b.example.com")
        .containsEntry("PLINTH_IDENTITY_CONSOLE_FIRST_OPERATOR", "ops")
        .containsEntry(
            "PLINTH_CONSOLE_DATA_PLANE_URL",
            "http://plinth-data-plane.plinth-test.svc.cluster.local:8080")
        .doesNotContainKey("PLINTH_IDENTITY_KEYCLOAK_URL");
    for (String component : ChartScenariosTest.COMPONENTS) {
      assertThat(PRODUCTION.settings(component).getData())
          .containsEntry(
              "PLINTH_DB_READER_URLS",
              "postgresql://pg-replica-0.databases.svc:5432/plinth,"
                  + "postgresql://pg-replica-1.databases.svc:5432/plinth")
          .containsEntry("PLINTH_SHUTDOWN_TIMEOUT", "20s")
          .containsEntry("PLINTH_CLUSTER_MIN_MEMBERS", "3");
      // 10 s preStop + 2 x 20 s (requests, stop work) + 37 s (directory, cluster leave, closing)
      // + 5 s margin.
      assertThat(
              PRODUCTION
                  .deployment(component)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getTerminationGracePeriodSeconds())
          .isEqualTo(92);
    }
    assertThat(PRODUCTION.settings("data-plane").getData())
        .containsEntry("PLINTH_HTTP_CORS_ALLOWED_ORIGINS", "https://app.example.com")
        .containsEntry("PLINTH_TENANT_CONCURRENCY", "12")
        .doesNotContainKey("PLINTH_IDENTITY_KEYCLOAK_INSTANCES");
    assertThat(ChartScenariosTest.container(PRODUCTION.deployment("data-plane")).getImage())
        .isEqualTo("registry.example.com/plinth/plinth-tenant-api:0.1.0");
  }

  @Test
  void egressIsPinnedToTheDatabaseAndKeycloakAddresses() {
    for (String component : ChartScenariosTest.COMPONENTS) {
      var egress =
          PRODUCTION
              .get(
                  io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
                  Chart.RELEASE + "-" + component)
              .getSpec()
              .getEgress();
      assertThat(egress)
          .filteredOn(rule -> ChartScenariosTest.ports(rule.getPorts()).contains(5432))
          .singleElement()
          .satisfies(
              rule ->
                  assertThat(rule.getTo())
                      .extracting(peer -> peer.getIpBlock().getCidr())
                      .containsExactly("10.20.0.0/24"));
      assertThat(egress)
          .filteredOn(rule -> ChartScenariosTest.ports(rule.getPorts()).equals(List.of(443)))
          .singleElement()
          .satisfies(
              rule ->
                  assertThat(rule.getTo())
                      .extracting(peer -> peer.getIpBlock().getCidr())
                      .containsExactly("10.30.0.0/24"));
    }
  }

  @Test
  void prometheusOperatorAndGrafanaSidecarObjects() {
    List<GenericKubernetesResource> rules = PRODUCTION.custom("PrometheusRule");
    assertThat(rules).singleElement();
    GenericKubernetesResource rule = rules.get(0);
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    assertThat(rule.getAdditionalProperties().get("spec"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsKey("groups");

    assertThat(PRODUCTION.custom("ServiceMonitor")).hasSize(2);
    for (String component : ChartScenariosTest.COMPONENTS) {
      GenericKubernetesResource monitor =
          PRODUCTION.custom("ServiceMonitor").stream()
              .filter(m -> m.getMetadata().getName().equals(Chart.RELEASE + "-" + component))
              .findFirst()
              .orElseThrow();
      assertThat(monitor.getMetadata().getLabels())
          .containsEntry("release", "kube-prometheus-stack");
      // It selects the plane's Service and scrapes /metrics on the Service's named port.
      Service service = PRODUCTION.get(Service.class, Chart.RELEASE + "-" + component);
      assertThat(service.getMetadata().getLabels())
          .containsAllEntriesOf(
              monitor.<Map<String, String>>get("spec", "selector", "matchLabels"));
      List<Map<String, Object>> endpoints =
          monitor.<List<Map<String, Object>>>get("spec", "endpoints");
      assertThat(endpoints)
          .singleElement()
          .satisfies(
              endpoint -> {
                assertThat(endpoint).containsEntry("path", "/metrics");
                assertThat(endpoint.get("port"))
                    .isEqualTo(service.getSpec().getPorts().get(0).getName());
              });
    }

    List<ConfigMap> dashboards =
        PRODUCTION.all(ConfigMap.class).stream()
            .filter(map -> "1".equals(map.getMetadata().getLabels().get("grafana_dashboard")))
            .toList();
    assertThat(dashboards).isNotEmpty();
    // One ConfigMap per file of files/dashboards, named after it.
    assertThat(dashboards)
        .allSatisfy(
            map ->
                assertThat(map.getMetadata().getName())
                    .isEqualTo(
                        Chart.RELEASE
                            + "-dashboard-"
                            + map.getData().keySet().iterator().next().replace(".json", "")));
    assertThat(dashboards)
        .allSatisfy(
            map -> {
              assertThat(map.getMetadata().getAnnotations())
                  .containsEntry("grafana_folder", "Plinth");
              assertThat(map.getData()).hasSize(1);
              assertThat(map.getData().keySet()).allMatch(name -> name.endsWith(".json"));
              assertThat(map.getData().values()).allMatch(json -> json.contains("\"title\""));
            });

    assertThat(MINIMAL.custom("PrometheusRule")).isEmpty();
    assertThat(MINIMAL.custom("ServiceMonitor")).isEmpty();
    assertThat(MINIMAL.all(ConfigMap.class))
        .noneMatch(map -> map.getMetadata().getLabels().containsKey("grafana_dashboard"));
    // Without the Prometheus Operator: scrape annotations on the pods instead.
    assertThat(
            MINIMAL.deployment("data-plane").getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/metrics");
  }

  static List<String> paths(IngressRule rule) {
    return rule.getHttp().getPaths().stream().map(path -> path.getPath()).toList();
  }
}
