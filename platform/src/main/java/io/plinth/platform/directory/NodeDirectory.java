package io.plinth.platform.directory;

import com.hazelcast.cluster.MembershipAdapter;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.plinth.platform.cluster.ClusterFutures;
import io.plinth.platform.cluster.ClusterMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's list of running nodes, of every service, in a Hazelcast map keyed by the node's
 * member UUID. A node puts its entry when its HTTP servers listen and republishes it every {@link
 * #REFRESH} with fresh pool figures; it removes it when it stops. When a member leaves without
 * saying so, the members that see it go remove its entry, and an entry nobody refreshes expires
 * after {@link #TTL}: a node that is gone never lingers for long.
 */
public final class NodeDirectory {

  /** How often a node republishes its entry (and so its pool figures). */
  public static final Duration REFRESH = Duration.ofSeconds(5);

  /** How long an entry outlives its last refresh. */
  static final Duration TTL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(NodeDirectory.class);

  private final HazelcastInstance member;
  private final Vertx vertx;
  private final IMap<String, String> entries;
  private volatile NodeEntry self;
  private volatile Supplier<List<PoolFigures>> pools = List::of;
  private long refresher = -1;

  public NodeDirectory(HazelcastInstance member, Vertx vertx) {
    this.member = member;
    this.vertx = vertx;
    this.entries = member.getMap(ClusterMaps.NODES);
    member
        .getCluster()
        .addMembershipListener(
            new MembershipAdapter() {
              @Override
              public void memberRemoved(MembershipEvent event) {
                remove(event.getMember().getUuid().toString());
              }
            });
  }

  /** This node's id in the directory: its Hazelcast member's UUID. */
  public String nodeId() {
    return member.getCluster().getLocalMember().getUuid().toString();
  }

  /**
   * Lists this node and keeps its entry fresh until {@link #deregister()}. Call once, on the node's
   * Vert.x context, when the node serves.
   */
  public Future<Void> register(String service, String url, Supplier<List<PoolFigures>> figures) {
    this.pools = figures;
    this.self = new NodeEntry(service, nodeId(), url, Instant.now(), figures.get());
    refresher = vertx.setPeriodic(REFRESH.toMillis(), ignored -> publish());
    return publish();
  }

  /** Removes this node's entry; completes when it is gone (or could not be removed). */
  public Future<Void> deregister() {
    vertx.cancelTimer(refresher);
    if (self == null) {
      return Future.succeededFuture();
    }
    return remove(self.node());
  }

  /** Every listed node, by service and then by start. */
  public Future<List<NodeEntry>> nodes() {
    return vertx.executeBlocking(
        () -> {
          List<NodeEntry> all = new ArrayList<>();
          for (String json : entries.values()) {
            all.add(NodeEntry.fromJson(new JsonObject(json)));
          }
          all.sort(
              Comparator.comparing(NodeEntry::service)
                  .thenComparing(NodeEntry::startedAt)
                  .thenComparing(NodeEntry::node));
          return all;
        },
        false);
  }

  private Future<Void> publish() {
    NodeEntry fresh = self.withPools(pools.get());
    self = fresh;
    try {
      return ClusterFutures.onContext(
              entries.setAsync(
                  fresh.node(), fresh.toJson().encode(), TTL.toMillis(), TimeUnit.MILLISECONDS),
              vertx.getOrCreateContext())
          .onFailure(e -> LOG.debug("could not publish this node's directory entry", e))
          .recover(e -> Future.succeededFuture());
    } catch (RuntimeException e) { // the member is shutting down
      return Future.succeededFuture();
    }
  }

  private Future<Void> remove(String node) {
    try {
      return ClusterFutures.onContext(entries.removeAsync(node), vertx.getOrCreateContext())
          .<Void>mapEmpty()
          .recover(e -> Future.succeededFuture());
    } catch (RuntimeException e) { // the member is shutting down
      return Future.succeededFuture();
    }
  }

  /**
   * The URL a node is reached at: {@code plinth.http.advertised-url} when set, else {@code http://}
   * its bind address (loopback for a wildcard one, which no client can reach) and its port.
   */
  public static String advertisedUrl(String configured, String host, int port) {
    if (!configured.isBlank()) {
      return configured.endsWith("/")
          ? configured.substring(0, configured.length() - 1)
          : configured;
    }
    String reachable =
        host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (reachable.contains(":") ? "[" + reachable + "]" : reachable) + ":" + port;
  }
}
