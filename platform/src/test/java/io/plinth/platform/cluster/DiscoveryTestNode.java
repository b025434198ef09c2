package io.plinth.platform.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A node's Hazelcast member in a JVM of its own, for tests that need JVM-wide settings (a hosts
 * file). Configured from {@code -Dplinth.*} exactly as a service is, it prints the members it sees
 * whenever they change, and leaves the cluster when its standard input closes.
 */
final class DiscoveryTestNode {

  /** Starts each report line: {@code members: 127.1.2.21:5701,127.1.2.22:5701}. */
  static final String MEMBERS = "members: ";

  private DiscoveryTestNode() {}

  public static void main(String[] args) throws Exception {
    PlinthConfig config =
        PlinthConfig.load(ConfigSource.ofProcess(Map.of("plinth.http.port", "0"), Map.of()));
    HazelcastInstance member = ClusterMember.start(config.cluster(), "discovery-test");
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    AtomicReference<String> reported = new AtomicReference<>("");
    reporter.scheduleWithFixedDelay(
        () -> {
          String members =
              member.getCluster().getMembers().stream()
                  .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort())
                  .sorted()
                  .collect(Collectors.joining(","));
          if (!members.equals(reported.getAndSet(members))) {
            System.out.println(MEMBERS + members);
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    while (System.in.read() != -1) {
      // the test closes standard input to stop this node
    }
    reporter.shutdownNow();
    member.shutdown();
    System.exit(0);
  }
}
