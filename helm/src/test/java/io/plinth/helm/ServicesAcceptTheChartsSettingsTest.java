package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.server.PlinthService;
import io.plinth.provisioning.ProvisioningService;
import io.plinth.provisioning.ProvisioningSettings;
import io.plinth.provisioning.identity.IdentitySettings;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.tenantapi.TenantApiSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The environment the chart gives each container is one the service starts with: every value parses
 * as the service's own configuration reads it at start-up (a wrong duration, URL or instance list
 * would stop the pod with exit status 2), and means what the values say.
 */
class ServicesAcceptTheChartsSettingsTest {

  static Stream<String> scenarios() {
    return Chart.scenarios().stream();
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void theControlPlaneLoadsItsSettings(String scenario) {
    assertControlPlaneLoads(Chart.render(Chart.scenario(scenario)));
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void theDataPlaneLoadsItsSettings(String scenario) {
    assertDataPlaneLoads(Chart.render(Chart.scenario(scenario)));
  }

  static void assertControlPlaneLoads(Manifests manifests) {
    ConfigSource source = source(manifests, "control-plane", new ProvisioningService());
    PlinthConfig config = PlinthConfig.load(source);
    ProvisioningSettings.load(source);
    IdentitySettings identity = IdentitySettings.load(source);
    assertClusterAndDrain(manifests, "control-plane", config);
    assertThat(config.http().port()).isEqualTo(8081);
    assertThat(identity.enabled())
        .isEqualTo(
            manifests.settings("control-plane").getData().keySet().stream()
                .anyMatch(name -> name.startsWith("PLINTH_IDENTITY_KEYCLOAK_")));
  }

  static void assertDataPlaneLoads(Manifests manifests) {
    ConfigSource source = source(manifests, "data-plane", new TenantApiService());
    PlinthConfig config = PlinthConfig.load(source);
    TenantApiSettings.load(source);
    assertClusterAndDrain(manifests, "data-plane", config);
    assertThat(config.http().port()).isEqualTo(8080);
  }

  static void assertClusterAndDrain(Manifests manifests, String component, PlinthConfig config) {
    // (Kubernetes discovery itself is read by the platform's cluster settings, whose shape is the
    // discovery work's; the ConfigMap tests check the values the chart gives them.)
    assertThat(config.cluster().interfaceAddress()).isEmpty();
    assertThat(String.valueOf(config.cluster().minMembers()))
        .isEqualTo(manifests.settings(component).getData().get("PLINTH_CLUSTER_MIN_MEMBERS"));
    long grace =
        manifests
            .deployment(component)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getTerminationGracePeriodSeconds();
    long preStop =
        ChartScenariosTest.container(manifests.deployment(component))
            .getLifecycle()
            .getPreStop()
            .getSleep()
            .getSeconds();
    long longestStop = ChartScenariosTest.longestStopSeconds(config.shutdownTimeout().toSeconds());
    assertThat(Duration.ofSeconds(grace - preStop)).isGreaterThan(Duration.ofSeconds(longestStop));
  }

  /**
   * The container's environment as Kubernetes builds it: the ConfigMap's entries, then the env list
   * ($(POD_IP) expanded); secrets get a stand-in value, optional ones none (the key may be absent
   * from the Secret).
   */
  static ConfigSource source(Manifests manifests, String component, PlinthService service) {
    Map<String, String> env = new HashMap<>(manifests.settings(component).getData());
    List<EnvVar> vars = ChartScenariosTest.container(manifests.deployment(component)).getEnv();
    for (EnvVar var : vars) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue().replace("$(POD_IP)", "10.1.2.3"));
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
        if (!Boolean.TRUE.equals(ref.getOptional())) {
          env.put(var.getName(), "stand-in-" + ref.getKey());
        }
      }
    }
    return new ConfigSource(Map.of(), new Properties(), env, service.defaults());
  }
}
