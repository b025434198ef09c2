package io.plinth.platform.usage;

import java.util.UUID;

/**
 * One tenant's traffic in one counted period on one node, or summed over nodes: requests, errors
 * (status 5xx or 429, see {@link UsageRecorder#isError}) and the latency histogram ({@link
 * LatencyHistogram}). The tenant {@link #PLATFORM} stands for all of them together.
 */
public record UsageCounts(UUID tenant, long requests, long errors, long[] latency) {

  /** The whole platform's row in the usage tables: the nil UUID, which no tenant has. */
  public static final UUID PLATFORM = new UUID(0, 0);
}
