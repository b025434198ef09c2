package io.plinth.bench.dataplane;

import io.plinth.bench.run.Args;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code bench/data-plane}.
 *
 * @param durationSeconds the measured run of each scenario
 * @param connections requests in flight (wrk's connections, pgbench's clients)
 * @param warmupSeconds the unmeasured run before each scenario's measured one
 * @param groups the parts of the run that run
 */
record DataPlaneOptions(
    int durationSeconds, int connections, int warmupSeconds, Set<Group> groups) {

  /** Parts of the run that --only can pick; the bare endpoint always runs (every ratio uses it). */
  enum Group {
    HTTP, // GET cold and warm, query, inserts, mix
    TENANTS, // GET over 1, 100, 1,000 tenants, provisioning them, the fleet migration
    NOISY, // two tenants as noisy neighbours
    PGBENCH; // the database references

    static final List<String> NAMES =
        Arrays.stream(values()).map(g -> g.name().toLowerCase(Locale.ROOT)).toList();

    static EnumSet<Group> parse(String list) {
      EnumSet<Group> out = EnumSet.noneOf(Group.class);
      for (String name : list.split(",")) {
        if (!NAMES.contains(name.trim())) {
          throw new IllegalArgumentException("--only: no group " + name + "; groups: " + NAMES);
        }
        out.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
      }
      return out;
    }
  }

  static final String USAGE =
      "usage: bench/data-plane [--duration-seconds S (default 15)] [--connections C (default 32)]"
          + " [--warmup-seconds W (default 5)] [--only GROUP,... (default all: "
          + String.join(",", Group.NAMES)
          + ")]";

  DataPlaneOptions {
    groups = Set.copyOf(groups);
  }

  boolean runs(Group group) {
    return groups.contains(group);
  }

  static DataPlaneOptions parse(String... command) {
    int duration = 15;
    int connections = 32;
    int warmup = 5;
    Set<Group> groups = EnumSet.allOf(Group.class);
    Args args = new Args(command);
    while (args.next()) {
      switch (args.option()) {
        case "--duration-seconds" -> duration = args.wholeAtLeast(1);
        case "--connections" -> connections = args.wholeAtLeast(1);
        case "--warmup-seconds" -> warmup = args.wholeAtLeast(0);
        case "--only" -> groups = Group.parse(args.value("a list of groups"));
        default -> throw args.unknown();
      }
    }
    return new DataPlaneOptions(duration, connections, warmup, groups);
  }
}
