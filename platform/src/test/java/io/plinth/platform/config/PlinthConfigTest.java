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
    assertThat(config.cluster().kubernetes()).isFalse();
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
  void kubernetesDiscoveryNeedsAServiceName() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    new Properties(),
                    Map.of("PLINTH_CLUSTER_KUBERNETES_ENABLED", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS");
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
