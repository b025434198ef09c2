package io.plinth.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PlinthConfigTest {

  private static final Map<String, String> SERVICE = Map.of("plinth.http.port", "8081");

  private static PlinthConfig load(
      Map<String, String> overrides, Properties props, Map<String, String> env) {
    return PlinthConfig.load(new ConfigSource(overrides, props, env, SERVICE));
  }

  @Test
  void defaultsGiveAWorkingLocalConfiguration() {
    PlinthConfig config = load(Map.of(), new Properties(), Map.of());

    assertThat(config.http().port()).isEqualTo(8081);
    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.database().writerUrl()).hasToString("postgresql://127.0.0.1:5432/plinth");
    assertThat(config.database().readerUrls()).isEmpty();
    assertThat(config.cluster().members()).containsExactly("127.0.0.1");
    assertThat(config.cluster().kubernetes().enabled()).isFalse();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void environmentBeatsServiceDefaultsAndSystemPropertiesBeatEnvironment() {
    Properties props = new Properties();
    props.setProperty("plinth.db.pool-size", "7");
    Map<String, String> env =
        Map.of(
            "PLINTH_HTTP_PORT", "9000",
            "PLINTH_DB_POOL_SIZE", "3",
            "PLINTH_DB_READER_URLS", "postgresql://r1:5432/p, postgresql://r2/p");

    PlinthConfig config = load(Map.of(), props, env);

    assertThat(config.http().port()).isEqualTo(9000);
    assertThat(config.database().poolSize()).isEqualTo(7);
    assertThat(config.database().readerUrls())
        .extracting(Object::toString)
        .containsExactly("postgresql://r1:5432/p", "postgresql://r2/p");
  }

  @Test
  void overridesBeatEverything() {
    Properties props = new Properties();
    props.setProperty("plinth.http.port", "1");
    PlinthConfig config =
        load(Map.of("plinth.http.port", "0"), props, Map.of("PLINTH_HTTP_PORT", "2"));
    assertThat(config.http().port()).isZero();
  }

  @Test
  void aBadPortStopsStartUpWithOneLineNamingTheSetting() {
    assertThatThrownBy(() -> load(Map.of(), new Properties(), Map.of("PLINTH_HTTP_PORT", "abc")))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactly(
                        "Invalid setting PLINTH_HTTP_PORT (from PLINTH_HTTP_PORT) = 'abc':"
                            + " expected a port number (0-65535)"));
  }

  @Test
  void everyBadSettingIsReportedAtOnce() {
    Map<String, String> env =
        Map.of(
            "PLINTH_HTTP_PORT", "70000",
            "PLINTH_DB_URL", "mysql://x/y",
            "PLINTH_SHUTDOWN_TIMEOUT", "soon");

    assertThatThrownBy(() -> load(Map.of(), new Properties(), env))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .hasSize(3)
                    .anySatisfy(line -> assertThat(line).contains("PLINTH_HTTP_PORT"))
                    .anySatisfy(line -> assertThat(line).contains("PLINTH_DB_URL"))
                    .anySatisfy(line -> assertThat(line).contains("PLINTH_SHUTDOWN_TIMEOUT")));
  }

  @Test
  void credentialsInTheDatabaseUrlAreRefusedSoTheyCannotLeakThroughIt() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    new Properties(),
                    Map.of("PLINTH_DB_URL", "postgresql://u:hunter2@db:5432/p")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("own settings");
  }

  @Test
  void secretsNeverAppearInMessagesOrToString() {
    PlinthConfig config =
        load(Map.of(), new Properties(), Map.of("PLINTH_DB_PASSWORD", "hunter2-secret"));

    assertThat(config.database().password().value()).isEqualTo("hunter2-secret");
    assertThat(config.toString()).doesNotContain("hunter2-secret");
    assertThat(Settings.DB_PASSWORD.printable("hunter2-secret")).isEqualTo("******");
  }

  @Test
  void kubernetesDnsDiscoveryNeedsTheHeadlessServicesName() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    new Properties(),
                    Map.of("PLINTH_CLUSTER_KUBERNETES_ENABLED", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid setting PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS"
                + " (plinth.cluster.kubernetes.service-dns) is required when"
                + " PLINTH_CLUSTER_KUBERNETES_ENABLED is true and PLINTH_CLUSTER_KUBERNETES_MODE"
                + " is dns");
  }

  @Test
  void kubernetesApiDiscoveryNeedsTheServicesName() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    new Properties(),
                    Map.of(
                        "PLINTH_CLUSTER_KUBERNETES_ENABLED", "true",
                        "PLINTH_CLUSTER_KUBERNETES_MODE", "api",
                        // Only dns mode reads it.
                        "PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS", "plinth-hz.plinth.svc")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid setting PLINTH_CLUSTER_KUBERNETES_SERVICE_NAME"
                + " (plinth.cluster.kubernetes.service-name) is required when"
                + " PLINTH_CLUSTER_KUBERNETES_ENABLED is true and PLINTH_CLUSTER_KUBERNETES_MODE"
                + " is api");
  }

  @Test
  void badKubernetesSettingsAreEachReportedOnTheirOwnLine() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    new Properties(),
                    Map.of(
                        "PLINTH_CLUSTER_KUBERNETES_ENABLED", "true",
                        "PLINTH_CLUSTER_KUBERNETES_MODE", "gossip",
                        "PLINTH_CLUSTER_KUBERNETES_SERVICE_NAME", "Plinth_HZ",
                        "PLINTH_CLUSTER_KUBERNETES_API_URL", "kubernetes.default.svc")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "Invalid setting PLINTH_CLUSTER_KUBERNETES_MODE (from"
                            + " PLINTH_CLUSTER_KUBERNETES_MODE) = 'gossip': expected one of dns,"
                            + " api",
                        "Invalid setting PLINTH_CLUSTER_KUBERNETES_SERVICE_NAME (from"
                            + " PLINTH_CLUSTER_KUBERNETES_SERVICE_NAME) = 'Plinth_HZ': expected a"
                            + " Kubernetes name: lower-case letters, digits and '-', at most 63",
                        "Invalid setting PLINTH_CLUSTER_KUBERNETES_API_URL (from"
                            + " PLINTH_CLUSTER_KUBERNETES_API_URL) = 'kubernetes.default.svc':"
                            + " expected a URL like https://kubernetes.default.svc"));
  }

  @Test
  void withKubernetesDiscoveryTheMemberListIsIgnoredAndTheInterfaceDefaultsToThePods() {
    PlinthConfig config =
        load(
            Map.of(),
            new Properties(),
            Map.of(
                "PLINTH_CLUSTER_KUBERNETES_ENABLED", "true",
                "PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS",
                    "plinth-hazelcast.plinth.svc.cluster.local",
                "PLINTH_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701"));

    assertThat(config.cluster().kubernetes())
        .isEqualTo(PlinthConfig.Kubernetes.dns("plinth-hazelcast.plinth.svc.cluster.local"));
    assertThat(config.cluster().interfaceAddress()).isEmpty();
  }

  @Test
  void kubernetesApiDiscoveryKeepsAnInterfaceTheOperatorSet() {
    PlinthConfig config =
        load(
            Map.of(),
            new Properties(),
            Map.of(
                "PLINTH_CLUSTER_KUBERNETES_ENABLED", "true",
                "PLINTH_CLUSTER_KUBERNETES_MODE", "api",
                "PLINTH_CLUSTER_KUBERNETES_SERVICE_NAME", "plinth-hazelcast",
                "PLINTH_CLUSTER_KUBERNETES_NAMESPACE", "plinth",
                "PLINTH_CLUSTER_INTERFACE", "10.1.2.3"));

    assertThat(config.cluster().kubernetes())
        .isEqualTo(
            PlinthConfig.Kubernetes.api(
                "plinth-hazelcast", "plinth", PlinthConfig.Kubernetes.IN_CLUSTER_API));
    assertThat(config.cluster().interfaceAddress()).isEqualTo("10.1.2.3");
  }

  @Test
  void kubernetesSettingsAreNotRequiredWhileItIsOff() {
    PlinthConfig config =
        load(Map.of(), new Properties(), Map.of("PLINTH_CLUSTER_KUBERNETES_MODE", "api"));

    assertThat(config.cluster().kubernetes()).isEqualTo(PlinthConfig.Kubernetes.OFF);
    assertThat(config.cluster().interfaceAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void aRequiredSettingWithoutAnyValueIsNamed() {
    assertThatThrownBy(
            () ->
                PlinthConfig.load(new ConfigSource(Map.of(), new Properties(), Map.of(), Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid setting PLINTH_HTTP_PORT (plinth.http.port) is required but not set");
  }

  @Test
  void environmentVariableNamesFollowTheKeys() {
    assertThat(Settings.ALL)
        .allSatisfy(
            s ->
                assertThat(s.environmentVariable())
                    .isEqualTo(s.key().toUpperCase().replace('.', '_').replace('-', '_')));
    assertThat(Settings.ALL.stream().map(Setting::key).distinct()).hasSameSizeAs(Settings.ALL);
    assertThat(Parsers.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Parsers.listOf(Parsers::hostPort).parse("")).isEqualTo(List.of());
  }
}
