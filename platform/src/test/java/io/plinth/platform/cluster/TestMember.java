package io.plinth.platform.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.plinth.platform.config.PlinthConfig;
import java.util.List;
import java.util.UUID;

/** A lone Hazelcast member on loopback, configured as Plinth's nodes are, for platform tests. */
final class TestMember {

  private TestMember() {}

  /** Starts one on a port in {@code [firstPort, firstPort + 90)} with a cluster name of its own. */
  static HazelcastInstance start(int firstPort) {
    int port = firstPort + (int) (Math.random() * 90);
    return Hazelcast.newHazelcastInstance(
        ClusterMember.configure(
            new PlinthConfig.Cluster(
                "test-" + UUID.randomUUID(),
                "127.0.0.1",
                port,
                List.of("127.0.0.1:" + port),
                1,
                false,
                ""),
            "test"));
  }
}
