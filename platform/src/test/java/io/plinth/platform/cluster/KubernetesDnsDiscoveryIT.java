package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes discovery in dns mode: two nodes, each in a JVM of its own as pods are, find each
 * other only through the DNS name of a "headless Service" that resolves to both their addresses.
 *
 * <p>Hazelcast resolves the name with {@link InetAddress#getAllByName}; the JVMs read it from a
 * hosts file ({@code -Djdk.net.hosts.file}), which stands in for the cluster DNS. Each node has its
 * own loopback address ({@link PodAddresses}), as each pod has its own IP, and both use the same
 * member port, as in a Deployment. TCP-IP and multicast are off, so nothing else could join them.
 * The nodes keep Hazelcast's default join wait: within it a discovery joiner asks for members (the
 * build's test JVMs set it to 0 for TCP-IP clusters, at which discovery is never asked).
 */
class KubernetesDnsDiscoveryIT {

  private static final String SERVICE_DNS = "plinth-hazelcast.plinth.svc.cluster.local";

  private final List<ChildNode> nodes = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void stopNodes() {
    nodes.forEach(ChildNode::stop);
  }

  @Test
  void twoNodesFindEachOtherThroughTheHeadlessServicesDnsRecords() throws Exception {
    PodAddresses pods = PodAddresses.pick(2);
    Path hosts = dir.resolve("hosts");
    Files.writeString(
        hosts,
        String.join(
            "\n",
            "127.0.0.1 localhost " + localHostName(),
            pods.address(0) + " " + SERVICE_DNS,
            pods.address(1) + " " + SERVICE_DNS,
            ""));
    String cluster = "k8s-dns-" + UUID.randomUUID();

    ChildNode a = start(hosts, cluster, pods.address(0), pods.port(), "a");
    Eventually.poll(Duration.ofSeconds(60), a::members, m -> !m.isEmpty());
    ChildNode b = start(hosts, cluster, pods.address(1), pods.port(), "b");

    for (ChildNode node : List.of(a, b)) {
      assertThat(membersOnceTwo(node)).containsExactlyInAnyOrderElementsOf(pods.members());
    }
  }

  /** The members {@code node} reports once it sees two, or a failure with its output. */
  private static List<String> membersOnceTwo(ChildNode node) {
    try {
      return Eventually.poll(Duration.ofSeconds(60), node::members, m -> m.size() == 2);
    } catch (AssertionError e) {
      throw new AssertionError(
          "node " + node.name + ": " + e.getMessage() + "; its output:\n" + node.output(), e);
    }
  }

  private ChildNode start(Path hosts, String cluster, String address, int port, String name)
      throws IOException {
    List<String> options = new ArrayList<>(PodAddresses.jvmOptions(address));
    options.addAll(
        List.of(
            "-Djdk.net.hosts.file=" + hosts,
            "-Dplinth.cluster.name=" + cluster,
            "-Dplinth.cluster.kubernetes.enabled=true",
            "-Dplinth.cluster.kubernetes.service-dns=" + SERVICE_DNS,
            "-Dplinth.cluster.port=" + port));
    ChildNode node = ChildNode.start(name, options, DiscoveryTestNode.class);
    nodes.add(node);
    return node;
  }

  /** The machine's name, which the hosts file must also resolve (the JVM looks itself up). */
  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
