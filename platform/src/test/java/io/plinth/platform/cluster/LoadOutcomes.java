package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.cluster.ClusterCache.LoadOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * How a cache's loads end, as they land on the entries' owners: a test awaits the fills it needs
 * instead of sleeping, and fails when one never comes.
 */
final class LoadOutcomes implements BiConsumer<String, LoadOutcome> {

  private final BlockingQueue<LoadOutcome> landed = new LinkedBlockingQueue<>();

  static LoadOutcomes of(ClusterCache<?> cache) {
    LoadOutcomes outcomes = new LoadOutcomes();
    cache.whenLoaded(outcomes);
    return outcomes;
  }

  @Override
  public void accept(String key, LoadOutcome outcome) {
    landed.add(outcome);
  }

  /** The next load's outcome, waiting up to 10 s for it. */
  LoadOutcome next() throws InterruptedException {
    LoadOutcome outcome = landed.poll(10, TimeUnit.SECONDS);
    assertThat(outcome).as("a load landed within 10 s").isNotNull();
    return outcome;
  }

  /** The next {@code count} loads' outcomes, in the order they landed. */
  List<LoadOutcome> next(int count) throws InterruptedException {
    List<LoadOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      outcomes.add(next());
    }
    return outcomes;
  }
}
