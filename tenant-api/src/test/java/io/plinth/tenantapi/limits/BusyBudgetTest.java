package io.plinth.tenantapi.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BusyBudgetTest {

  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final BusyBudget budget = new BusyBudget(100 * MS, now::get);

  @Test
  void aCostlyRequestIsPaidForBeforeTheNextStarts() {
    assertThat(budget.available()).isTrue();
    budget.spend(150 * MS, 0); // 50 ms in debt, refilled at 100 ms per second: half a second
    assertThat(budget.available()).isFalse();
    assertThat(budget.nanosUntilAvailable()).isBetween(500 * MS, 501 * MS);

    now.addAndGet(499 * MS);
    assertThat(budget.available()).isFalse();
    now.addAndGet(2 * MS);
    assertThat(budget.available()).isTrue();
    assertThat(budget.nanosUntilAvailable()).isZero();
  }

  @Test
  void cheapRequestsWithinTheAllowanceNeverWait() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(budget.available()).isTrue();
      budget.spend(MS / 2, 0); // 0.5 ms every 10 ms: 50 ms a second of the 100 allowed
      now.addAndGet(10 * MS);
    }
    assertThat(budget.full()).isTrue();
  }

  @Test
  void debtIsBoundedAndTheAllowanceRefillsOnlyToOneSecondsWorth() {
    budget.spend(60_000 * MS, 0); // a minute-long request costs at most two seconds' worth
    assertThat(budget.nanosUntilAvailable()).isBetween(2_000 * MS, 2_001 * MS);

    now.addAndGet(3_600_000 * MS); // an hour idle
    assertThat(budget.full()).isTrue();
    budget.spend(100 * MS, 0);
    assertThat(budget.available()).isFalse();
  }

  @Test
  void aLowerRateTakesEffectAtOnce() {
    budget.rate(10 * MS);
    budget.spend(20 * MS, 0);
    assertThat(budget.nanosUntilAvailable()).isBetween(1_000 * MS, 1_001 * MS);
  }

  @Test
  void itIsLowOnceLessThanHalfIsLeft() {
    assertThat(budget.low()).isFalse();
    budget.spend(40 * MS, 0);
    assertThat(budget.low()).isFalse();
    budget.spend(20 * MS, 0); // 40 ms of 100 left
    assertThat(budget.low()).isTrue();
    now.addAndGet(100 * MS); // 10 ms back: 50 left
    assertThat(budget.low()).isFalse();
  }

  @Test
  void runningRequestsHoldWhatTheTenantsRequestsHaveBeenCosting() {
    assertThat(budget.start()).as("nothing known yet: nothing held").isZero();
    budget.spend(40 * MS, 0);
    now.addAndGet(1_000 * MS); // the allowance is whole again

    // 100 ms left and each request costs about 40: three may start, not as many as there are
    // permits, and the fourth waits for one of them to end.
    int started = 0;
    long[] held = new long[8];
    while (budget.available() && started < held.length) {
      held[started++] = budget.start();
    }
    assertThat(started).isEqualTo(3);
    assertThat(budget.nanosUntilAvailable())
        .as("only an end lets one start")
        .isEqualTo(Long.MAX_VALUE);

    budget.spend(40 * MS, held[0]);
    assertThat(budget.available()).as("60 left, 80 held").isFalse();
    assertThat(budget.nanosUntilAvailable()).isBetween(200 * MS, 201 * MS);
    budget.spend(40 * MS, held[1]);
    budget.spend(40 * MS, held[2]);
    assertThat(budget.nanosUntilAvailable())
        .as("all ended, 20 ms in debt")
        .isBetween(200 * MS, 201 * MS);
  }

  @Test
  void theExpectedCostFollowsWhatRequestsCostLately() {
    budget.spend(80 * MS, 0);
    for (int i = 0; i < 20; i++) {
      budget.spend(MS, budget.start()); // cheap requests now
    }
    now.addAndGet(1_000 * MS);
    int started = 0;
    while (budget.available() && started < 8) {
      budget.start();
      started++;
    }
    assertThat(started).as("cheap again: the permits, not the allowance, bound them").isEqualTo(8);
  }

  @Test
  void itIsForgottenOnlyWhenWholeAndNothingIsKnownOfWhatRequestsCost() {
    assertThat(budget.forgettable()).isTrue();
    budget.spend(0, budget.start()); // served without the database
    assertThat(budget.forgettable()).isTrue();

    budget.spend(40 * MS, budget.start());
    assertThat(budget.forgettable()).as("40 ms short").isFalse();
    now.addAndGet(1_000 * MS);
    assertThat(budget.full()).isTrue();
    assertThat(budget.forgettable()).as("whole, but it knows requests cost 40 ms").isFalse();
  }
}
