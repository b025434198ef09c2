package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * values.schema.json refuses values that would install a broken release, before anything is
 * rendered, naming the value; `helm lint` reports the same.
 */
class ValuesSchemaTest {

  static final String VALID =
      """
      postgresql:
        writerUrl: postgresql://pg:5432/plinth
      secrets:
        existingSecret: plinth
      """;

  @TempDir Path dir;

  @Test
  void theValidBaseRenders() {
    assertThat(Chart.template(Chart.values(dir, VALID))).contains("kind: Deployment");
  }

  @Test
  void aWrongTypeIsRefusedNamingTheValue() {
    Path values =
        Chart.values(
            dir,
            VALID
                + """
                dataPlane:
                  replicas: two
                """);
    assertThatThrownBy(() -> Chart.template(values))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("dataPlane")
        .hasMessageContaining("replicas")
        .hasMessageContaining("integer");
    assertThat(Chart.lint(values).isFailed()).isTrue();
  }

  @Test
  void aMissingDatabaseUrlIsRefusedNamingIt() {
    Path values = Chart.values(dir, "secrets:\n  existingSecret: plinth\n");
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("writerUrl");
    var lint = Chart.lint(values);
    assertThat(lint.isFailed()).isTrue();
    assertThat(String.join("\n", lint.getMessages())).contains("writerUrl");
  }

  @Test
  void noPasswordAndNoExistingSecretIsRefusedNamingBoth() {
    Path values = Chart.values(dir, "postgresql:\n  writerUrl: postgresql://pg:5432/plinth\n");
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("dbPassword");
  }

  @Test
  void aDatabaseUrlInAnotherFormIsRefused() {
    Path values =
        Chart.values(
            dir, VALID.replace("postgresql://pg:5432/plinth", "jdbc:postgresql://pg:5432/plinth"));
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("writerUrl");
  }

  @Test
  void aSecretPassedAsAPlainSettingIsRefused() {
    Path values =
        Chart.values(
            dir,
            VALID
                + """
                controlPlane:
                  settings:
                    PLINTH_DB_PASSWORD: hunter2
                """);
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("settings");
  }

  @Test
  void aMisspelledKnobIsRefused() {
    Path values = Chart.values(dir, VALID + "dataplane:\n  replicas: 3\n");
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("dataplane");
  }

  @Test
  void anUnknownDiscoveryModeIsRefused() {
    Path values = Chart.values(dir, VALID + "cluster:\n  discovery: multicast\n");
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("discovery");
  }

  @Test
  void theIngressNeedsItsHosts() {
    Path values = Chart.values(dir, VALID + "ingress:\n  enabled: true\n");
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("Host");
  }
}
