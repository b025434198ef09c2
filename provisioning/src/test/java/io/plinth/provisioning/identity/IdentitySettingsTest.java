package io.plinth.provisioning.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.config.ConfigException;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.registry.IdentityMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IdentitySettingsTest {

  private static IdentitySettings load(Map<String, String> settings) {
    return IdentitySettings.load(new ConfigSource(settings, new Properties(), Map.of(), Map.of()));
  }

  @Test
  void withoutKeycloakThereIsNoIdentity() {
    IdentitySettings settings = load(Map.of());
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.realmsPerInstance()).isEqualTo(300);
    assertThat(settings.defaultMode()).isEqualTo(IdentityMode.REALM);
    assertThat(settings.retryMaxDelay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void oneUrlIsTheDefaultInstance() {
    IdentitySettings settings =
        load(
            Map.of(
                "plinth.identity.keycloak.url", "http://127.0.0.1:8180/",
                "plinth.identity.keycloak.admin-password", "pw"));
    assertThat(settings.instances())
        .containsExactly(new KeycloakInstance("default", URI.create("http://127.0.0.1:8180")));
    assertThat(settings.primary().issuer("plinth"))
        .isEqualTo("http://127.0.0.1:8180/realms/plinth");
    assertThat(settings.adminPassword().toString()).doesNotContain("pw");
  }

  @Test
  void namedInstancesKeepTheirOrder() {
    IdentitySettings settings =
        load(
            Map.of(
                "plinth.identity.keycloak.instances",
                "eu-1=https://id1.example.com, eu-2=https://id2.example.com",
                "plinth.identity.keycloak.admin-password",
                "pw"));
    assertThat(settings.instances().stream().map(KeycloakInstance::name).toList())
        .isEqualTo(List.of("eu-1", "eu-2"));
  }

  @Test
  void aFirstOperatorNeedsAPasswordAndAPlainUsername() {
    assertThat(load(Map.of()).firstOperator()).isEmpty();
    IdentitySettings settings =
        load(
            Map.of(
                "plinth.identity.console.first-operator", "ops",
                "plinth.identity.console.first-operator-password", "s3cret-pass"));
    assertThat(settings.firstOperator()).map(FirstOperator::username).contains("ops");
    assertThat(settings.firstOperator().orElseThrow().toString()).doesNotContain("s3cret-pass");
    assertThatThrownBy(() -> load(Map.of("plinth.identity.console.first-operator", "ops")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PLINTH_IDENTITY_CONSOLE_FIRST_OPERATOR_PASSWORD");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "plinth.identity.console.first-operator", "Ops Team",
                        "plinth.identity.console.first-operator-password", "pw")))
        .hasMessageContaining("PLINTH_IDENTITY_CONSOLE_FIRST_OPERATOR");
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> load(Map.of("plinth.identity.keycloak.url", "http://kc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PLINTH_IDENTITY_KEYCLOAK_ADMIN_PASSWORD");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "plinth.identity.keycloak.url", "http://kc",
                        "plinth.identity.keycloak.instances", "a=http://kc",
                        "plinth.identity.keycloak.admin-password", "pw")))
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "plinth.identity.keycloak.instances", "a=http://kc,a=http://kc2",
                        "plinth.identity.keycloak.admin-password", "pw")))
        .hasMessageContaining("named twice");
    assertThatThrownBy(() -> load(Map.of("plinth.identity.keycloak.instances", "A=http://kc")))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> load(Map.of("plinth.identity.keycloak.url", "kc:8180")))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> load(Map.of("plinth.identity.default-mode", "external")))
        .hasMessageContaining("external needs an issuer");
  }
}
