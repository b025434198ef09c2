package io.plinth.testing;

import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.server.PlinthNode;
import io.plinth.platform.server.PlinthService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Starts service nodes for tests: on loopback, on a random port, with the given database and
 * cluster settings, and stops them all on {@link #close()}. Only the explicit settings count: the
 * machine's environment cannot change a test.
 */
public final class TestNodes implements AutoCloseable {

  /** Settings every test node gets unless a test says otherwise. */
  private static final Map<String, String> TEST_DEFAULTS =
      Map.of(
          "plinth.http.host", "127.0.0.1",
          "plinth.http.port", "0",
          "plinth.http.instances", "1",
          "plinth.db.pool-size", "12",
          "plinth.db.connect-timeout", "1s",
          "plinth.health.timeout", "1500ms",
          "plinth.shutdown.timeout", "2s");

  private final List<PlinthNode> nodes = new ArrayList<>();

  /** A started node; {@link PlinthClient} talks to it. */
  public record Node(PlinthNode node, PlinthClient client) {}

  /**
   * Starts a node of {@code service}. Later maps win over earlier ones, and all of them over the
   * test defaults and the service's own defaults.
   */
  @SafeVarargs
  public final Node start(PlinthService service, Map<String, String>... settings) {
    Map<String, String> merged = new HashMap<>(TEST_DEFAULTS);
    for (Map<String, String> map : settings) {
      merged.putAll(map);
    }
    PlinthConfig config =
        PlinthConfig.load(new ConfigSource(merged, new Properties(), Map.of(), service.defaults()));
    PlinthNode node = PlinthNode.start(service, config).await();
    nodes.add(node);
    return new Node(node, new PlinthClient("http://127.0.0.1:" + node.port()));
  }

  /** Stops every node started here, newest first. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop().await();
    }
    nodes.clear();
  }
}
