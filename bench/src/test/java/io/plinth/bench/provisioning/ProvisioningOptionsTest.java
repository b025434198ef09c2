package io.plinth.bench.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProvisioningOptionsTest {

  @Test
  void defaultsAndValues() {
    assertThat(ProvisioningOptions.parse()).isEqualTo(new ProvisioningOptions(1000, 4));
    assertThat(ProvisioningOptions.parse("--concurrency", "8", "--tenants", "50"))
        .isEqualTo(new ProvisioningOptions(50, 8));
  }

  @Test
  void refusesWhatItCannotUse() {
    assertThatThrownBy(() -> ProvisioningOptions.parse("--tenants", "0"))
        .hasMessage("--tenants: not a positive whole number: 0");
    assertThatThrownBy(() -> ProvisioningOptions.parse("--tenants", "100000"))
        .hasMessage("--tenants is at most 99999");
    assertThatThrownBy(() -> ProvisioningOptions.parse("--concurrency"))
        .hasMessage("--concurrency needs a number");
    assertThatThrownBy(() -> ProvisioningOptions.parse("--realms", "10"))
        .hasMessage("unknown option --realms");
  }
}
