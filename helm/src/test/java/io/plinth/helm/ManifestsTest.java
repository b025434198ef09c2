package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The parsing the chart's tests rely on refuses what Kubernetes would not take as written. */
class ManifestsTest {

  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: demo
      spec:
        selector:
          matchLabels: {app: demo}
        template:
          metadata:
            labels: {app: demo}
          spec:
            containers:
              - name: demo
                image: demo:1
                %s:
                  httpGet: {path: /health/live, port: http}
      """;

  @Test
  void aKnownFieldParsesIntoItsModel() {
    Manifests manifests = Manifests.parse("---\n" + DEPLOYMENT.formatted("livenessProbe"));
    assertThat(
            manifests
                .get(Deployment.class, "demo")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getLivenessProbe()
                .getHttpGet()
                .getPath())
        .isEqualTo("/health/live");
  }

  @Test
  void aMisspelledFieldIsRefusedWithItsPath() {
    assertThatThrownBy(() -> Manifests.parse(DEPLOYMENT.formatted("livenesProbe")))
        .hasMessageContaining("Deployment demo")
        .hasMessageContaining("containers[0].livenesProbe");
  }

  @Test
  void customResourcesParseWithoutAModel() {
    Manifests manifests =
        Manifests.parse(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata:
              name: rules
            spec:
              groups: []
            """);
    assertThat(manifests.custom("PrometheusRule")).hasSize(1);
  }
}
