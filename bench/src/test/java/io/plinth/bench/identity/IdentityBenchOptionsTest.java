package io.plinth.bench.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityBenchOptionsTest {

  @Test
  void defaultsAreTheIssueSizes() {
    IdentityBenchOptions o = IdentityBenchOptions.parse();
    assertThat(o.realms()).containsExactly(10, 100, 300);
    assertThat(o.baseline()).containsExactly(10, 50, 100, 200);
    assertThat(o.baselineLimitSeconds()).isEqualTo(30);
    assertThat(o.realmCheckpoints()).containsExactly(10, 50, 100, 200, 300);
    assertThat(o.organizations()).isTrue();
    assertThat(o.realmSeries()).isTrue();
    assertThat(o.keycloakOptions()).isEmpty();
    assertThat(o.creatorToken()).isEqualTo("regular");
    assertThat(o.fillAsCreator()).isFalse();
    IdentityBenchOptions scoped =
        IdentityBenchOptions.parse("--creator-token", "scoped", "--fill-as", "creator");
    assertThat(scoped.creatorToken()).isEqualTo("scoped");
    assertThat(scoped.fillAsCreator()).isTrue();
  }

  @Test
  void sizesAreSortedWithoutRepeatsAndNoneSkipsTheBaseline() {
    IdentityBenchOptions o =
        IdentityBenchOptions.parse("--realms", "30, 10,30", "--baseline", "none", "--samples", "5");
    assertThat(o.realms()).containsExactly(10, 30);
    assertThat(o.baseline()).isEmpty();
    assertThat(o.realmCheckpoints()).containsExactly(10, 30);
    assertThat(o.samples()).isEqualTo(5);
  }

  @Test
  void onlyAndKeycloakOptions() {
    IdentityBenchOptions o =
        IdentityBenchOptions.parse(
            "--only",
            "realms",
            "--keycloak-option",
            "--cache-embedded-realms-max-count=50000",
            "--keycloak-option",
            "--log-level=warn");
    assertThat(o.organizations()).isFalse();
    assertThat(o.realmSeries()).isTrue();
    assertThat(o.keycloakOptions())
        .isEqualTo(List.of("--cache-embedded-realms-max-count=50000", "--log-level=warn"));
    assertThat(IdentityBenchOptions.parse("--only", "organizations").realmSeries()).isFalse();
  }

  @Test
  void refusesWhatItCannotUse() {
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--realms", "10,x"))
        .hasMessageContaining("not a positive whole number: x");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--realms", "0"))
        .hasMessageContaining("not a positive whole number");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--realms", "none"))
        .hasMessageContaining("not a positive whole number");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--realms", "20000"))
        .hasMessageContaining("at most 10000");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--samples"))
        .hasMessageContaining("--samples needs a value");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--only", "both"))
        .hasMessageContaining("realms or organizations");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--keycloak-option", "-Xmx1g"))
        .hasMessageContaining("kc.sh option");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--baseline-limit-seconds", "-1"))
        .hasMessageContaining("not a positive number");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--creator-token", "tiny"))
        .hasMessageContaining("regular, lightweight or scoped");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--fill-as", "root"))
        .hasMessageContaining("admin or creator");
    assertThatThrownBy(() -> IdentityBenchOptions.parse("--tenants", "5"))
        .hasMessageContaining("unknown option --tenants");
  }
}
