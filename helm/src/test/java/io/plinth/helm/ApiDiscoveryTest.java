package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * cluster.discovery "api": Hazelcast reads the headless Service's endpoints from the Kubernetes
 * API, so the pods get a token and a namespaced, read-only Role; with "dns" (every ci/ scenario)
 * they get neither.
 */
class ApiDiscoveryTest {

  static final Path VALUES = Path.of("src", "test", "resources", "api-discovery-values.yaml");
  static final Manifests API = Chart.render(VALUES.toAbsolutePath());
  static final Manifests DNS = Chart.render(Chart.scenario("minimal-values.yaml"));

  @Test
  void thePodsGetANamespacedReadOnlyRoleAndAToken() {
    Role role = API.get(Role.class, Chart.RELEASE + "-discovery");
    assertThat(role.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(role.getRules())
        .allSatisfy(rule -> assertThat(rule.getVerbs()).containsOnly("get", "list"));
    assertThat(role.getRules().stream().flatMap(rule -> rule.getResources().stream()))
        .contains("endpoints", "endpointslices", "pods");
    RoleBinding binding = API.get(RoleBinding.class, Chart.RELEASE + "-discovery");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(subject -> assertThat(subject.getName()).isEqualTo(Chart.RELEASE));
    assertThat(API.get(ServiceAccount.class, Chart.RELEASE).getAutomountServiceAccountToken())
        .isTrue();
    for (String component : ChartScenariosTest.COMPONENTS) {
      assertThat(
              API.deployment(component)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getAutomountServiceAccountToken())
          .isTrue();
      assertThat(API.settings(component).getData())
          .containsEntry("PLINTH_CLUSTER_KUBERNETES_ENABLED", "true")
          .containsEntry("PLINTH_CLUSTER_KUBERNETES_MODE", "api")
          .containsEntry("PLINTH_CLUSTER_KUBERNETES_SERVICE_NAME", Chart.RELEASE + "-hazelcast")
          .doesNotContainKey("PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS");
      // Out to the API server, on its port only.
      assertThat(
              API.get(NetworkPolicy.class, Chart.RELEASE + "-" + component).getSpec().getEgress())
          .anySatisfy(
              rule -> {
                assertThat(ChartScenariosTest.ports(rule.getPorts())).containsExactly(443);
                assertThat(rule.getTo())
                    .extracting(peer -> peer.getIpBlock().getCidr())
                    .containsExactly("10.0.0.1/32");
              });
    }
  }

  @Test
  void dnsDiscoveryNeedsNoApiAccess() {
    assertThat(DNS.all(Role.class)).isEmpty();
    assertThat(DNS.all(RoleBinding.class)).isEmpty();
    assertThat(DNS.get(ServiceAccount.class, Chart.RELEASE).getAutomountServiceAccountToken())
        .isFalse();
  }

  /**
   * The API-mode settings come with the platform's Kubernetes-discovery work; until
   * docs/configuration.md lists them this is skipped, after that it holds API mode to the same
   * checks as every ci/ scenario.
   */
  @Test
  void theServicesAcceptTheApiModeSettings() throws Exception {
    assumeTrue(
        ChartScenariosTest.documentedSettings().contains("PLINTH_CLUSTER_KUBERNETES_MODE"),
        "this platform has no PLINTH_CLUSTER_KUBERNETES_MODE setting yet");
    ChartScenariosTest.assertSettingsDocumented(API);
    ServicesAcceptTheChartsSettingsTest.assertControlPlaneLoads(API);
    ServicesAcceptTheChartsSettingsTest.assertDataPlaneLoads(API);
  }
}
