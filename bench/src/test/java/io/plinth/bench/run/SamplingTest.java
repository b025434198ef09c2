package io.plinth.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SamplingTest {

  @Test
  void takesEachCallsOwnFigureInOrder() {
    AtomicLong n = new AtomicLong();
    assertThat(Sampling.nanos(4, n::incrementAndGet)).containsExactly(1, 2, 3, 4);
  }

  @Test
  void stopsStartingCallsOnceTheBudgetIsSpent() throws Exception {
    AtomicLong calls = new AtomicLong();
    long[] taken =
        Sampling.nanos(
            1000,
            Duration.ofMillis(50),
            () -> {
              calls.incrementAndGet();
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 20_000_000L;
            });
    assertThat(taken).hasSize((int) calls.get()).hasSizeBetween(1, 4);
    assertThat(Sampling.nanos(3, Duration.ZERO, () -> 1L)).isEmpty();
  }

  @Test
  void seconds() {
    assertThat(Sampling.seconds(1_500_000_000L)).isEqualTo(1.5);
  }
}
