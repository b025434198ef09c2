package io.plinth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void sectionsRowsAndABlockOfCells() {
    String out =
        new TextTable()
            .section("Machine")
            .row("cores", "2")
            .header("latency", "n", "p50")
            .cells("all", List.of("1000", "3.50"))
            .cells("first 100", List.of("100", "12.3"))
            .line("  (a note)")
            .render();

    assertThat(out)
        .isEqualTo(
            """

            Machine
            =======
              cores      2
              latency       n   p50
              ---------------------
              all        1000  3.50
              first 100   100  12.3
              (a note)
            """);
  }

  @Test
  void eachBlockHasColumnsOfItsOwnAndEmptyCellsLeaveNoTrailingBlanks() {
    String out =
        new TextTable()
            .header("a", "x")
            .cells("b", List.of("12345"))
            .section("Next")
            .header("c", "y", "z")
            .cells("d", List.of("1", ""))
            .render();

    assertThat(out.lines().toList())
        .containsExactly(
            "  a      x",
            "  --------",
            "  b  12345",
            "",
            "Next",
            "====",
            "  c  y  z",
            "  -------",
            "  d  1");
  }

  @Test
  void rulesAndLabelWidths() {
    assertThat(new TextTable().ruleAtMost(4).section("Long title").render())
        .isEqualTo("\nLong title\n====\n");
    assertThat(new TextTable().section("Title", 8).render()).isEqualTo("\nTitle\n========\n");
    assertThat(new TextTable().labelsAtLeast(6).row("k", "v").render()).isEqualTo("  k       v\n");
  }
}
