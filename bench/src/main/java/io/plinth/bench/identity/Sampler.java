package io.plinth.bench.identity;

import io.plinth.bench.run.Sampling;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The identity bench's latency samples: {@code --samples} requests per figure, fewer if they take
 * over 90 s, each at a tenant picked at random (the same picks every run).
 */
final class Sampler {

  private static final Duration LATENCY_BUDGET = Duration.ofSeconds(90);

  private final int samples;
  private final Random pick = new Random(7);

  Sampler(IdentityBenchOptions options) {
    this.samples = options.samples();
  }

  /** The figure's samples; {@code call} returns how long one request took, in nanoseconds. */
  long[] sample(LongSupplier call) {
    return Sampling.nanos(samples, LATENCY_BUDGET, call);
  }

  /** One of {@code items}, at random. */
  <T> T pick(List<T> items) {
    return items.get(pick.nextInt(items.size()));
  }

  /** One of {@code items} but the last, at random. */
  <T> T pickButLast(List<T> items) {
    return items.get(pick.nextInt(items.size() - 1));
  }
}
