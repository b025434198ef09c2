package io.plinth.provisioning.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementAndBackoffTest {

  @Test
  void theInstanceWithTheFewestRealmsUnderTheCapWins() {
    List<String> instances = List.of("a", "b", "c");
    assertThat(RealmPlacement.choose(instances, Map.of(), 10)).hasValue("a");
    assertThat(RealmPlacement.choose(instances, Map.of("a", 3L, "b", 1L, "c", 2L), 10))
        .hasValue("b");
    assertThat(RealmPlacement.choose(instances, Map.of("a", 10L, "b", 10L, "c", 9L), 10))
        .hasValue("c");
    assertThat(RealmPlacement.choose(instances, Map.of("a", 10L, "b", 12L, "c", 10L), 10))
        .isEmpty();
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    Duration max = Duration.ofSeconds(30);
    assertThat(Backoff.delay(0, max)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.delay(1, max)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delay(4, max)).isEqualTo(Duration.ofSeconds(16));
    assertThat(Backoff.delay(5, max)).isEqualTo(max);
    assertThat(Backoff.delay(1000, max)).isEqualTo(max);
  }

  @Test
  void aRealmsProvisionerSecretIsStableAndDiffersPerRealmAndInstance() {
    var pw = new io.plinth.platform.config.Secret("admin-password");
    String one = KeycloakAdmin.provisionerSecret(pw, "default", "plinth-acme");
    assertThat(KeycloakAdmin.provisionerSecret(pw, "default", "plinth-acme")).isEqualTo(one);
    assertThat(KeycloakAdmin.provisionerSecret(pw, "default", "plinth-beta")).isNotEqualTo(one);
    assertThat(KeycloakAdmin.provisionerSecret(pw, "eu-2", "plinth-acme")).isNotEqualTo(one);
    assertThat(one).hasSize(43).doesNotContain("admin-password");
  }
}
