package io.plinth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

  @Test
  void milliseconds() {
    assertThat(Format.ms(0.3149)).isEqualTo("0.31");
    assertThat(Format.ms(9.994)).isEqualTo("9.99");
    assertThat(Format.ms(10)).isEqualTo("10.0");
    assertThat(Format.ms(1234.56)).isEqualTo("1234.6");
    assertThat(Format.ms(Double.NaN)).isEmpty();
  }

  @Test
  void fixedAndSeconds() {
    assertThat(Format.fixed(1234.4, 0)).isEqualTo("1234");
    assertThat(Format.fixed(1234.5, 0)).isEqualTo("1235");
    assertThat(Format.fixed(0.456, 2)).isEqualTo("0.46");
    assertThat(Format.fixed(Double.NaN, 2)).isEmpty();
    assertThat(Format.seconds(7.125)).isEqualTo("7.13 s");
  }
}
