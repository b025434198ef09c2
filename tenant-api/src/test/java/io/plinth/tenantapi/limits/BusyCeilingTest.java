package io.plinth.tenantapi.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The contended node's ceiling, on a clock and a late-timer count the test moves. */
class BusyCeilingTest {

  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final AtomicLong late = new AtomicLong();
  private final BusyCeiling ceiling = new BusyCeiling(late::get, now::get);

  /** Two tenants' requests arrive in every window unless a test says otherwise. */
  private boolean shared = true;

  private long afterWindow(boolean lateTimer) {
    if (shared) {
      ceiling.arrived("quiet");
      ceiling.arrived("noisy");
    }
    if (lateTimer) {
      late.addAndGet(3); // several late timers in one window count once
    }
    now.addAndGet(BusyCeiling.WINDOW_MS * MS);
    return ceiling.perSecond();
  }

  @Test
  void aNodeThatRunsOnTimeHasNoCeiling() {
    for (int i = 0; i < 50; i++) {
      assertThat(afterWindow(false)).isEqualTo(BusyCeiling.NONE);
    }
    assertThat(ceiling.allowance(1_000 * MS)).isEqualTo(1_000 * MS);
  }

  @Test
  void lateWindowsHalveTheCeilingDownToTheFloor() {
    assertThat(afterWindow(true)).isEqualTo(500 * MS);
    assertThat(afterWindow(true)).isEqualTo(250 * MS);
    assertThat(afterWindow(true)).isEqualTo(125 * MS);
    assertThat(afterWindow(true)).isEqualTo(62_500_000L);
    assertThat(afterWindow(true)).isEqualTo(BusyCeiling.FLOOR_MS * MS);
    assertThat(afterWindow(true)).isEqualTo(BusyCeiling.FLOOR_MS * MS);

    assertThat(ceiling.allowance(1_000 * MS))
        .as("a heavy plan is held to the ceiling")
        .isEqualTo(50 * MS);
    assertThat(ceiling.allowance(20 * MS)).as("a smaller allowance stays").isEqualTo(20 * MS);
    assertThat(ceiling.allowance(0)).as("plan internal stays unlimited").isZero();
  }

  @Test
  void calmWindowsRaiseItStepByStepUntilThereIsNone() {
    afterWindow(true);
    afterWindow(true);
    assertThat(ceiling.perSecond()).isEqualTo(250 * MS);
    assertThat(afterWindow(false)).isEqualTo(275 * MS);
    assertThat(afterWindow(false)).isEqualTo(300 * MS);

    now.addAndGet(10 * BusyCeiling.WINDOW_MS * MS); // ten calm windows with no request
    assertThat(ceiling.perSecond()).isEqualTo(550 * MS);

    now.addAndGet(60 * BusyCeiling.WINDOW_MS * MS);
    assertThat(ceiling.perSecond()).isEqualTo(BusyCeiling.NONE);
  }

  @Test
  void aTenantAloneOnTheNodeIsNotHeldBackByItsOwnLateness() {
    shared = false;
    for (int i = 0; i < 50; i++) {
      ceiling.arrived("noisy");
      assertThat(afterWindow(true)).isEqualTo(BusyCeiling.NONE);
    }
    ceiling.arrived("quiet"); // another tenant's request: the node is shared again
    assertThat(afterWindow(true)).isEqualTo(500 * MS);

    // A second without another tenant's request: its lateness is its own again.
    now.addAndGet(BusyCeiling.SHARED_FOR_MS * MS);
    ceiling.perSecond();
    assertThat(afterWindow(true)).isGreaterThan(500 * MS);
  }

  @Test
  void withinAWindowNothingChanges() {
    ceiling.arrived("quiet");
    ceiling.arrived("noisy");
    late.incrementAndGet();
    now.addAndGet(BusyCeiling.WINDOW_MS * MS / 2);
    assertThat(ceiling.perSecond()).isEqualTo(BusyCeiling.NONE);
    now.addAndGet(BusyCeiling.WINDOW_MS * MS / 2);
    assertThat(ceiling.perSecond()).isEqualTo(500 * MS);
  }
}
