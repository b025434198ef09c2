package io.plinth.platform.cluster;

import com.hazelcast.config.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Addresses standing in for pods' IPs in discovery tests: loopback addresses of a random 127.x.y.0
 * range (all of 127/8 is loopback on Linux), and one member port free on every one of them, as the
 * pods of a Deployment all use the same port.
 */
record PodAddresses(List<String> addresses, int port) {

  static PodAddresses pick(int count) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String range = "127." + random.nextInt(100, 250) + "." + random.nextInt(1, 250) + ".";
    List<String> addresses =
        IntStream.rangeClosed(1, count).mapToObj(i -> range + (20 + i)).toList();
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = random.nextInt(20_000, 30_000);
      if (addresses.stream().allMatch(address -> isFree(address, port))) {
        return new PodAddresses(addresses, port);
      }
    }
    throw new IllegalStateException("no port free on all of " + addresses);
  }

  /**
   * Makes a member bind and announce {@code address} only, as a pod's member does its pod IP. The
   * address is not on any interface here (only 127.0.0.1 is), so Hazelcast's interface matching
   * ({@code plinth.cluster.interface}) would refuse it; its own local-address property does not.
   */
  static void pin(Config member, String address) {
    jvmOptions(address)
        .forEach(
            option -> {
              String[] keyValue = option.substring(2).split("=", 2);
              member.setProperty(keyValue[0], keyValue[1]);
            });
  }

  /** {@link #pin} for a member in another JVM, as system properties. */
  static List<String> jvmOptions(String address) {
    return List.of(
        "-Dhazelcast.local.localAddress=" + address, "-Dhazelcast.socket.bind.any=false");
  }

  /** The i-th pod's address. */
  String address(int i) {
    return addresses.get(i);
  }

  /** Every pod's member, as host:port. */
  List<String> members() {
    return addresses.stream().map(address -> address + ":" + port).toList();
  }

  private static boolean isFree(String address, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
