package io.plinth.platform.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.plinth.platform.config.PlinthConfig;
import java.util.List;
import java.util.UUID;

/** Hazelcast members on loopback, configured as Plinth's nodes are, for platform tests. */
final class TestMember {

  private TestMember() {}

  /** Starts one on a port in {@code [firstPort, firstPort + 90)} with a cluster name of its own. */
  static HazelcastInstance start(int firstPort) {
    int port = firstPort + (int) (Math.random() * 90);
    return start("test-" + UUID.randomUUID(), port, List.of("127.0.0.1:" + port));
  }

  /** Starts a member of cluster {@code name} on {@code port} that joins {@code members}. */
  static HazelcastInstance start(String name, int port, List<String> members) {
    return start(name, port, members, 1);
  }

  /**
   * Like {@link #start(String, int, List)}, with split-brain protection from {@code minMembers}.
   */
  static HazelcastInstance start(String name, int port, List<String> members, int minMembers) {
    return Hazelcast.newHazelcastInstance(
        ClusterMember.configure(
            new PlinthConfig.Cluster(
                name, "127.0.0.1", port, members, minMembers, PlinthConfig.Kubernetes.OFF),
            "test"));
  }
}
