package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Where the passwords and keys come from: a Secret the chart makes, or one the operator manages.
 */
class SecretsTest {

  static final Manifests MINIMAL = Chart.render(Chart.scenario("minimal-values.yaml"));
  static final Manifests EXTERNAL = Chart.render(Chart.scenario("external-secrets-values.yaml"));

  @Test
  void withoutAnExistingSecretTheChartMakesOneWithOnlyTheValuesGiven() {
    Secret secret = MINIMAL.get(Secret.class, Chart.RELEASE);
    assertThat(secret.getData()).containsOnlyKeys("db-password");
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("db-password"))))
        .isEqualTo("minimal-test-db-password");
    Map<String, SecretKeySelector> refs = secretRefs("data-plane", MINIMAL);
    assertThat(refs).containsOnlyKeys("PLINTH_DB_PASSWORD");
    assertThat(refs.get("PLINTH_DB_PASSWORD").getName()).isEqualTo(Chart.RELEASE);
    // No Keycloak: no Keycloak credentials asked for; the bootstrap key stays optional.
    Map<String, SecretKeySelector> controlPlane = secretRefs("control-plane", MINIMAL);
    assertThat(controlPlane)
        .containsOnlyKeys("PLINTH_DB_PASSWORD", "PLINTH_BOOTSTRAP_OPERATOR_KEY");
    assertThat(controlPlane.get("PLINTH_BOOTSTRAP_OPERATOR_KEY").getOptional()).isTrue();
  }

  @Test
  void anExistingSecretIsReferencedByItsKeysAndNoSecretIsRendered() {
    assertThat(EXTERNAL.all(Secret.class)).isEmpty();
    Map<String, SecretKeySelector> refs = secretRefs("control-plane", EXTERNAL);
    assertThat(refs)
        .containsOnlyKeys(
            "PLINTH_DB_PASSWORD",
            "PLINTH_IDENTITY_KEYCLOAK_ADMIN_USER",
            "PLINTH_IDENTITY_KEYCLOAK_ADMIN_PASSWORD",
            "PLINTH_IDENTITY_AUTOMATION_SECRET",
            "PLINTH_BOOTSTRAP_OPERATOR_KEY");
    assertThat(refs.values())
        .allSatisfy(ref -> assertThat(ref.getName()).isEqualTo("plinth-credentials"));
    assertThat(refs.get("PLINTH_DB_PASSWORD").getKey()).isEqualTo("postgres-password");
    // Required keys are not optional: a Secret missing them keeps the pod from starting.
    assertThat(refs.get("PLINTH_DB_PASSWORD").getOptional()).isNotEqualTo(Boolean.TRUE);
    assertThat(refs.get("PLINTH_IDENTITY_KEYCLOAK_ADMIN_PASSWORD").getOptional())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(secretRefs("data-plane", EXTERNAL)).containsOnlyKeys("PLINTH_DB_PASSWORD");
    assertThat(EXTERNAL.settings("control-plane").getData())
        .containsEntry("PLINTH_IDENTITY_KEYCLOAK_URL", "https://id.example.com");
  }

  static Map<String, SecretKeySelector> secretRefs(String component, Manifests manifests) {
    return ChartScenariosTest.container(manifests.deployment(component)).getEnv().stream()
        .filter(env -> env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null)
        .collect(
            Collectors.toMap(
                EnvVar::getName,
                ((Function<EnvVar, SecretKeySelector>)
                    env -> env.getValueFrom().getSecretKeyRef())));
  }
}
