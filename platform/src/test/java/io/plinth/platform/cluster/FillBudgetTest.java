package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FillBudgetTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private FillBudget budget(int perGroup) {
    return new FillBudget(
        perGroup, Duration.ofSeconds(60), key -> key.substring(0, key.indexOf('/')), now::get);
  }

  private static int taken(FillBudget budget, String group, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (budget.tryTake(group + "/" + i)) {
        taken++;
      }
    }
    return taken;
  }

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void aGroupFillsAtMostItsBudgetAndOthersKeepTheirs() {
    FillBudget budget = budget(5);
    assertThat(taken(budget, "a", 50)).isEqualTo(5);
    assertThat(taken(budget, "b", 3)).isEqualTo(3);
    assertThat(taken(budget, "b", 10)).isEqualTo(2);
    assertThat(taken(budget, "a", 10)).isZero();
  }

  @Test
  void fillsCountForAWholeTimeToLiveThenComeBack() {
    FillBudget budget = budget(6);
    for (int second = 0; second < 60; second += 10) {
      assertThat(taken(budget, "a", 1)).isEqualTo(1);
      advance(Duration.ofSeconds(10));
    }
    // 60 s after the first fill it may still live (the slot is coarse): nothing yet.
    assertThat(taken(budget, "a", 1)).isZero();
    advance(Duration.ofSeconds(10));
    // The first fill's entry has expired for sure by now: its share is back, one by one.
    assertThat(taken(budget, "a", 5)).isEqualTo(1);
    advance(Duration.ofSeconds(70));
    assertThat(taken(budget, "a", 10)).isEqualTo(6);
  }

  @Test
  void neverMoreThanTheBudgetWithinAnyTimeToLive() {
    FillBudget budget = budget(100);
    long[] fills = new long[2_000];
    int count = 0;
    for (int step = 0; step < 2_000; step++) {
      if (budget.tryTake("a/" + step)) {
        fills[count++] = now.get();
      }
      advance(Duration.ofMillis(137));
    }
    // Any 60 s span holds at most 100 fills: the entries alive at any moment.
    for (int i = 0; i + 100 < count; i++) {
      assertThat(fills[i + 100] - fills[i])
          .isGreaterThanOrEqualTo(Duration.ofSeconds(60).toNanos());
    }
    assertThat(count).isGreaterThan(200);
  }

  @Test
  void idleGroupsAreForgotten() {
    FillBudget budget = budget(1);
    for (int g = 0; g < FillBudget.SWEEP_ABOVE; g++) {
      budget.tryTake("g" + g + "/x");
    }
    advance(Duration.ofSeconds(80));
    budget.tryTake("new/x");
    assertThat(budget.groups()).isEqualTo(1);
  }

  @Test
  void unlimitedTakesEverything() {
    assertThat(taken(FillBudget.UNLIMITED, "a", 1_000)).isEqualTo(1_000);
  }
}
