package io.plinth.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {

  @Test
  void readsOptionsAndTheirValuesInTurn() {
    Args args = new Args("--a", "1", "--b", "x", "--c");
    List<String> seen = new ArrayList<>();
    while (args.next()) {
      switch (args.option()) {
        case "--a" -> seen.add("a=" + args.positiveWhole());
        case "--b" -> seen.add("b=" + args.value());
        default -> seen.add("other " + args.option());
      }
    }
    assertThat(seen).containsExactly("a=1", "b=x", "other --c");
  }

  @Test
  void helpAnywhere() {
    assertThat(Args.asksForHelp("--tenants", "5", "-h")).isTrue();
    assertThat(Args.asksForHelp("--help")).isTrue();
    assertThat(Args.asksForHelp("--tenants", "5")).isFalse();
  }

  @Test
  void wholeNumbersWithinBounds() {
    assertThat(Args.positiveWhole("--n", "2147483647")).isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> Args.positiveWhole("--n", "2147483648"))
        .hasMessage("--n: not a positive whole number: 2147483648");
    assertThatThrownBy(() -> Args.positiveWhole("--n", "1.5"))
        .hasMessage("--n: not a positive whole number: 1.5");
    Args zero = new Args("--w", "0");
    zero.next();
    assertThat(zero.wholeAtLeast(0)).isZero();
    Args negative = new Args("--w", "-1");
    negative.next();
    assertThatThrownBy(() -> negative.wholeAtLeast(0))
        .hasMessage("--w: not a whole number >= 0: -1");
  }

  @Test
  void positiveNumbers() {
    assertThat(Args.positiveNumber("--s", "0.5")).isEqualTo(0.5);
    for (String bad : List.of("0", "-2", "NaN", "Infinity", "x")) {
      assertThatThrownBy(() -> Args.positiveNumber("--s", bad))
          .hasMessage("--s: not a positive number: " + bad);
    }
  }

  @Test
  void aMissingValueIsNamed() {
    Args args = new Args("--only");
    args.next();
    assertThatThrownBy(() -> args.value("a list of groups"))
        .hasMessage("--only needs a list of groups");
    Args number = new Args("--tenants");
    number.next();
    assertThatThrownBy(number::positiveWhole).hasMessage("--tenants needs a number");
    assertThat(number.unknown()).hasMessage("unknown option --tenants");
  }
}
