package io.plinth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedTagsTest {

  private final List<String> dropped = new ArrayList<>();

  @Test
  void newcomersGetFreeSlotsAtOnceAndTheRestCountAsOther() {
    BoundedTags tags = new BoundedTags(2, dropped::add);

    assertThat(tags.tagFor("alpha")).isEqualTo("alpha");
    assertThat(tags.tagFor("beta")).isEqualTo("beta");
    assertThat(tags.tagFor("gamma")).isEqualTo(BoundedTags.OTHER);
    assertThat(tags.tagFor("alpha")).isEqualTo("alpha");
    assertThat(tags.elected()).containsExactlyInAnyOrder("alpha", "beta");
  }

  @Test
  void anElectionKeepsTheBusiestAndDropsTheRest() {
    BoundedTags tags = new BoundedTags(2, dropped::add);
    tags.tagFor("quiet");
    tags.tagFor("steady");
    IntStream.range(0, 50).forEach(i -> tags.tagFor("busy"));
    IntStream.range(0, 10).forEach(i -> tags.tagFor("steady"));

    tags.elect();

    assertThat(tags.elected()).containsExactlyInAnyOrder("busy", "steady");
    assertThat(dropped).containsExactly("quiet");
    assertThat(tags.tagFor("quiet")).isEqualTo(BoundedTags.OTHER);
    assertThat(tags.tagFor("busy")).isEqualTo("busy");
  }

  @Test
  void aValueSilentForAWholeWindowLosesItsTagAndFreesTheSlot() {
    BoundedTags tags = new BoundedTags(1, dropped::add);
    tags.tagFor("gone");
    tags.elect(); // "gone" was seen: kept
    assertThat(tags.elected()).containsExactly("gone");

    tags.elect(); // not seen since: dropped

    assertThat(dropped).containsExactly("gone");
    assertThat(tags.tagFor("next")).isEqualTo("next");
  }

  @Test
  void holdersWinTies() {
    BoundedTags tags = new BoundedTags(1, dropped::add);
    tags.tagFor("holder");
    tags.tagFor("challenger"); // other: no slot

    tags.elect(); // one each

    assertThat(tags.elected()).containsExactly("holder");
    assertThat(dropped).isEmpty();
  }

  @Test
  void aFloodOfDistinctValuesKeepsTheSeriesBoundedByTheCap() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int cap = 5;
    BoundedTags tags =
        new BoundedTags(
            cap, value -> registry.find("hits").tag("t", value).meters().forEach(registry::remove));
    for (int window = 0; window < 20; window++) {
      for (int i = 0; i < 1_000; i++) {
        String value = "v" + window + "-" + i;
        Counter.builder("hits").tag("t", tags.tagFor(value)).register(registry).increment();
      }
      tags.elect();
      assertThat(registry.find("hits").counters()).hasSizeLessThanOrEqualTo(cap + 1);
    }
    double total = registry.find("hits").counters().stream().mapToDouble(Counter::count).sum();
    assertThat(total).as("dropped values' counts leave with their meters").isPositive();
  }

  @Test
  void aCapOfZeroPutsEverythingUnderOther() {
    BoundedTags tags = new BoundedTags(0, dropped::add);
    assertThat(tags.tagFor("alpha")).isEqualTo(BoundedTags.OTHER);
    tags.elect();
    assertThat(tags.elected()).isEmpty();
  }
}
