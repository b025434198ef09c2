package io.plinth.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalPositionTest {

  @Test
  void readsAndWritesPostgresqlsForm() {
    WalPosition position = WalPosition.parse("16/B374D848").orElseThrow();
    assertThat(position.value()).isEqualTo(0x16_B374D848L);
    assertThat(position).hasToString("16/B374D848");
    assertThat(WalPosition.parse("0/0").orElseThrow()).hasToString("0/0");
  }

  @Test
  void comparesAsPostgresqlDoes() {
    WalPosition low = WalPosition.parse("0/FFFFFFFF").orElseThrow();
    WalPosition high = WalPosition.parse("1/0").orElseThrow();
    assertThat(high.reached(low)).isTrue();
    assertThat(low.reached(high)).isFalse();
    assertThat(low.reached(low)).isTrue();
    assertThat(WalPosition.LATEST.reached(WalPosition.parse("FFFFFFFF/FFFFFFFE").orElseThrow()))
        .as("unsigned: the top bit set is late, not negative")
        .isTrue();
  }

  @Test
  void anythingElseIsNoPosition() {
    assertThat(WalPosition.parse(null)).isEmpty();
    assertThat(WalPosition.parse("")).isEmpty();
    assertThat(WalPosition.parse("16B374D848")).isEmpty();
    assertThat(WalPosition.parse("1/2/3")).isEmpty();
    assertThat(WalPosition.parse("123456789/0")).isEmpty();
    assertThat(WalPosition.parse("0/G")).isEmpty();
  }
}
