package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.plinth.platform.server.PlinthNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every ci/ scenario must give an operator, whatever else it changes: a chart that lints,
 * objects Kubernetes accepts as written, and the secure, drain-aware defaults.
 */
class ChartScenariosTest {

  static final List<String> COMPONENTS = List.of("control-plane", "data-plane");
  static final Path SETTINGS_PAGE = Path.of("..", "docs", "configuration.md");

  static Stream<String> scenarios() {
    return Chart.scenarios().stream();
  }

  static Manifests render(String scenario) {
    return Chart.render(Chart.scenario(scenario));
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void lintsWithoutWarnings(String scenario) {
    var result = Chart.lint(Chart.scenario(scenario));
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void everyObjectCarriesTheRecommendedLabels(String scenario) {
    Manifests manifests = render(scenario);
    assertThat(manifests.objects()).isNotEmpty();
    for (HasMetadata object : manifests.objects()) {
      assertThat(object.getMetadata().getLabels())
          .as("%s %s", object.getKind(), object.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "plinth")
          .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("app.kubernetes.io/part-of", "plinth")
          .containsKeys("app.kubernetes.io/version", "helm.sh/chart");
    }
    for (String component : COMPONENTS) {
      assertThat(manifests.deployment(component).getSpec().getTemplate().getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/component", component)
          .containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void noTwoObjectsOfAKindShareAName(String scenario) {
    // kubectl apply would silently keep only the last of them.
    assertThat(render(scenario).objects())
        .extracting(object -> object.getKind() + "/" + object.getMetadata().getName())
        .doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void bothPlanesProbeHealthAndSetResources(String scenario) {
    Manifests manifests = render(scenario);
    for (String component : COMPONENTS) {
      Container container = container(manifests.deployment(component));
      assertProbe(container.getStartupProbe(), "/health/live");
      assertProbe(container.getLivenessProbe(), "/health/live");
      assertProbe(container.getReadinessProbe(), "/health/ready");
      assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(container.getResources().getLimits()).containsKey("memory");
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void podsRunLockedDown(String scenario) {
    Manifests manifests = render(scenario);
    for (String component : COMPONENTS) {
      PodSpec pod = manifests.deployment(component).getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      SecurityContext container = container(manifests.deployment(component)).getSecurityContext();
      assertThat(container.getRunAsNonRoot()).isTrue();
      assertThat(container.getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      // The root is read-only: /tmp is the one writable place, an emptyDir.
      assertThat(container(manifests.deployment(component)).getVolumeMounts())
          .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
      assertThat(pod.getVolumes())
          .allSatisfy(volume -> assertThat(volume.getEmptyDir()).isNotNull());
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void noServiceAccountTokenUnlessDiscoveryAsksTheApi(String scenario) {
    Manifests manifests = render(scenario);
    boolean apiDiscovery =
        manifests
            .settings("data-plane")
            .getData()
            .get("PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS")
            .isEmpty();
    for (String component : COMPONENTS) {
      PodSpec pod = manifests.deployment(component).getSpec().getTemplate().getSpec();
      assertThat(pod.getAutomountServiceAccountToken()).isEqualTo(apiDiscovery);
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void gracePeriodOutlastsThePreStopWaitAndTheDrain(String scenario) {
    Manifests manifests = render(scenario);
    for (String component : COMPONENTS) {
      Deployment deployment = manifests.deployment(component);
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Container container = container(deployment);
      long preStop = container.getLifecycle().getPreStop().getSleep().getSeconds();
      long shutdownTimeout =
          seconds(manifests.settings(component).getData().get("PLINTH_SHUTDOWN_TIMEOUT"));
      assertThat(pod.getTerminationGracePeriodSeconds())
          .isGreaterThan(preStop + longestStopSeconds(shutdownTimeout));
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void bothPlanesHaveADisruptionBudgetAndSpreadOverNodesAndZones(String scenario) {
    Manifests manifests = render(scenario);
    for (String component : COMPONENTS) {
      PodDisruptionBudget budget =
          manifests.get(PodDisruptionBudget.class, Chart.RELEASE + "-" + component);
      assertThat(budget.getSpec().getSelector().getMatchLabels())
          .isEqualTo(manifests.deployment(component).getSpec().getSelector().getMatchLabels());
      assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
      assertThat(
              manifests
                  .deployment(component)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getTopologySpreadConstraints())
          .extracting(c -> c.getTopologyKey())
          .containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void bothPlanesJoinOneClusterThroughTheHeadlessService(String scenario) {
    Manifests manifests = render(scenario);
    Service headless = manifests.get(Service.class, Chart.RELEASE + "-hazelcast");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(headless.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(5701);
    for (String component : COMPONENTS) {
      // The headless Service's selector picks both planes' pods.
      assertThat(manifests.deployment(component).getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(headless.getSpec().getSelector());
      Map<String, String> settings = manifests.settings(component).getData();
      assertThat(settings)
          .containsEntry("PLINTH_CLUSTER_KUBERNETES_ENABLED", "true")
          .containsEntry("PLINTH_CLUSTER_INTERFACE", "")
          .containsEntry("PLINTH_CLUSTER_NAME", "plinth");
      String dns = settings.get("PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS");
      assertThat(dns)
          .satisfiesAnyOf(
              d -> assertThat(d).isEqualTo("plinth-hazelcast.plinth-test.svc.cluster.local"),
              d -> assertThat(d).isEmpty()); // API-mode discovery
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void networkPoliciesLetInOnlyTheHttpPortAndHazelcastFromPlinthPods(String scenario) {
    Manifests manifests = render(scenario);
    Map<String, String> plinthPods =
        Map.of("app.kubernetes.io/name", "plinth", "app.kubernetes.io/instance", Chart.RELEASE);
    for (String component : COMPONENTS) {
      NetworkPolicy policy = manifests.get(NetworkPolicy.class, Chart.RELEASE + "-" + component);
      assertThat(policy.getSpec().getPodSelector().getMatchLabels())
          .containsEntry("app.kubernetes.io/component", component);
      assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
      int httpPort =
          container(manifests.deployment(component)).getPorts().get(0).getContainerPort();
      List<NetworkPolicyIngressRule> ingress = policy.getSpec().getIngress();
      assertThat(ingress).hasSize(2);
      assertThat(ingress)
          .allSatisfy(rule -> assertThat(rule.getFrom()).as("a rule open to anyone").isNotEmpty());
      assertThat(ports(ingress.get(0).getPorts())).containsExactly(httpPort);
      assertThat(ingress.get(0).getFrom())
          .anySatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNotNull());
      assertThat(ports(ingress.get(1).getPorts())).containsExactly(5701);
      assertThat(ingress.get(1).getFrom())
          .singleElement()
          .satisfies(
              peer -> {
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(peer.getIpBlock()).isNull();
                assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(plinthPods);
              });

      List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
      assertThat(egress).allSatisfy(rule -> assertThat(rule.getPorts()).isNotEmpty());
      Set<Integer> allowedOut = new HashSet<>(Set.of(5701, 5432, 443, 8443, 8080, 8081, 53));
      assertThat(egress.stream().flatMap(rule -> ports(rule.getPorts()).stream()))
          .allSatisfy(port -> assertThat(allowedOut).contains(port));
      // Hazelcast goes out only to Plinth pods too.
      assertThat(egress)
          .filteredOn(rule -> ports(rule.getPorts()).contains(5701))
          .singleElement()
          .satisfies(
              rule ->
                  assertThat(rule.getTo())
                      .extracting(NetworkPolicyPeer::getPodSelector)
                      .extracting(selector -> selector.getMatchLabels())
                      .containsExactly(plinthPods));
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void noSecretInAnyConfigMap(String scenario) throws IOException {
    Manifests manifests = render(scenario);
    Set<String> secretValues = new HashSet<>();
    manifests.all(Secret.class).stream()
        .flatMap(secret -> secret.getData().entrySet().stream())
        // The Keycloak administrator's name ("admin") is in the Secret only to keep the pair
        // together; it may well appear in a host name.
        .filter(entry -> !entry.getKey().equals("keycloak-admin-user"))
        .map(entry -> entry.getValue())
        .map(encoded -> new String(Base64.getDecoder().decode(encoded)))
        .forEach(secretValues::add);
    secretValues.addAll(valuesUnderSecrets(Chart.scenario(scenario)));
    for (ConfigMap map : manifests.all(ConfigMap.class)) {
      assertThat(map.getData().keySet()).noneMatch(key -> key.matches(".*(PASSWORD|SECRET|_KEY)$"));
      for (String value : map.getData().values()) {
        for (String secret : secretValues) {
          assertThat(value).doesNotContain(secret);
        }
      }
    }
    // Every secret reaches the containers as a secretKeyRef, never as a literal value.
    for (String component : COMPONENTS) {
      for (EnvVar env : container(manifests.deployment(component)).getEnv()) {
        if (env.getName().matches(".*(PASSWORD|SECRET|_KEY)$")) {
          assertThat(env.getValue()).isNull();
          assertThat(env.getValueFrom().getSecretKeyRef()).isNotNull();
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void everySettingTheChartSetsIsADocumentedSetting(String scenario) throws IOException {
    assertSettingsDocumented(render(scenario));
  }

  static void assertSettingsDocumented(Manifests manifests) throws IOException {
    Set<String> documented = documentedSettings();
    for (String component : COMPONENTS) {
      Set<String> set = new HashSet<>(manifests.settings(component).getData().keySet());
      container(manifests.deployment(component)).getEnv().stream()
          .map(EnvVar::getName)
          .filter(name -> name.startsWith("PLINTH_"))
          .forEach(set::add);
      assertThat(set).isNotEmpty();
      assertThat(documented).as("docs/configuration.md's settings").containsAll(set);
    }
  }

  static Set<String> documentedSettings() throws IOException {
    Set<String> names = new HashSet<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(PLINTH_[A-Z0-9_]+)` \\|")
            .matcher(Files.readString(SETTINGS_PAGE));
    while (row.find()) {
      names.add(row.group(1));
    }
    assertThat(names).as("settings rows in %s", SETTINGS_PAGE).hasSizeGreaterThan(20);
    return names;
  }

  /** The string values a scenario gives under secrets: (the inline secrets). */
  static Set<String> valuesUnderSecrets(Path scenario) throws IOException {
    Set<String> values = new HashSet<>();
    boolean inSecrets = false;
    for (String line : Files.readAllLines(scenario)) {
      if (!line.startsWith(" ") && !line.isBlank()) {
        inSecrets = line.startsWith("secrets:");
      } else if (inSecrets) {
        Matcher pair = Pattern.compile("^  [A-Za-z]+: (\\S.*)$").matcher(line);
        if (pair.matches() && !line.trim().startsWith("existingSecret")) {
          values.add(pair.group(1));
        }
      }
    }
    return values;
  }

  static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
  }

  static List<Integer> ports(List<NetworkPolicyPort> ports) {
    return ports.stream().map(p -> p.getPort().getIntVal()).toList();
  }

  /**
   * The longest a service's stop takes, in whole seconds rounded up: the platform's own figure
   * ({@link PlinthNode#longestStop}), so the chart cannot drift from the stop it must wait for.
   */
  static long longestStopSeconds(long shutdownTimeoutSeconds) {
    long millis =
        PlinthNode.longestStop(java.time.Duration.ofSeconds(shutdownTimeoutSeconds)).toMillis();
    return (millis + 999) / 1000;
  }

  static long seconds(String duration) {
    assertThat(duration).matches("[0-9]+s");
    return Long.parseLong(duration.substring(0, duration.length() - 1));
  }
}
