package io.plinth.bench.provisioning;

import io.plinth.bench.run.Args;

/**
 * The options of {@code bench/provisioning}.
 *
 * @param tenants tenants created over the admin API (1 more exists before)
 * @param concurrency creates in flight
 */
record ProvisioningOptions(int tenants, int concurrency) {

  static final String USAGE =
      "usage: bench/provisioning [--tenants N (default 1000)] [--concurrency C (default 4)]";

  /** Slugs have five digits. */
  static final int MAX_TENANTS = 99_999;

  static ProvisioningOptions parse(String... command) {
    int tenants = 1000;
    int concurrency = 4;
    Args args = new Args(command);
    while (args.next()) {
      switch (args.option()) {
        case "--tenants" -> tenants = args.positiveWhole();
        case "--concurrency" -> concurrency = args.positiveWhole();
        default -> throw args.unknown();
      }
    }
    if (tenants > MAX_TENANTS) {
      throw new IllegalArgumentException("--tenants is at most " + MAX_TENANTS);
    }
    return new ProvisioningOptions(tenants, concurrency);
  }
}
