package io.plinth.testing;

import com.hazelcast.core.HazelcastInstance;
import io.plinth.platform.cluster.ClusterMember;
import io.plinth.platform.config.PlinthConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Hazelcast cluster of its own on loopback: a unique name (so test clusters never merge with each
 * other or with a running launcher) and a block of free ports, one per member.
 */
public final class TestCluster {

  private static final int MAX_MEMBERS = 5;
  private final String name;
  private final int firstPort;

  private TestCluster(String name, int firstPort) {
    this.name = name;
    this.firstPort = firstPort;
  }

  public static TestCluster create() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (IntStream.range(first, first + MAX_MEMBERS).allMatch(TestCluster::isFree)) {
        return new TestCluster("test-" + UUID.randomUUID(), first);
      }
    }
    throw new IllegalStateException("no block of free ports for a test cluster");
  }

  /** Settings that make a node join this cluster. */
  public Map<String, String> settings() {
    String members =
        IntStream.range(firstPort, firstPort + MAX_MEMBERS)
            .mapToObj(port -> "127.0.0.1:" + port)
            .collect(Collectors.joining(","));
    return Map.of(
        "plinth.cluster.name",
        name,
        "plinth.cluster.interface",
        "127.0.0.1",
        "plinth.cluster.port",
        String.valueOf(firstPort),
        "plinth.cluster.members",
        members);
  }

  /** Starts one more member of this cluster, configured as Plinth's nodes are. */
  public HazelcastInstance startMember(String serviceName) {
    List<String> members =
        IntStream.range(firstPort, firstPort + MAX_MEMBERS)
            .mapToObj(port -> "127.0.0.1:" + port)
            .toList();
    return ClusterMember.start(
        new PlinthConfig.Cluster(
            name, "127.0.0.1", firstPort, members, 1, PlinthConfig.Kubernetes.OFF),
        serviceName);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
