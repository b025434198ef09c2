package io.plinth.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Starts this node's embedded Hazelcast member. Members find each other through an explicit TCP-IP
 * list (loopback locally and in tests) or Kubernetes discovery; multicast is always off.
 */
public final class ClusterMember {

  private ClusterMember() {}

  /** How long cached registry metadata lives in the cluster before it is read again. */
  public static final int METADATA_TTL_SECONDS = 30;

  /** How long a cached record lives at most (the record cache's fill budget counts over it). */
  public static final int RECORDS_TTL_SECONDS = 60;

  /** How long a member keeps its near-cached copy without hearing of a change. */
  public static final int NEAR_CACHE_TTL_SECONDS = 10;

  /** Builds the member configuration; pure, so it can be checked without starting anything. */
  public static Config configure(PlinthConfig.Cluster cluster, String serviceName) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setInstanceName(serviceName + "-" + java.util.UUID.randomUUID());
    config.getMemberAttributeConfig().setAttribute("plinth.service", serviceName);
    // No calls home (there is no internet here, and operators do not expect it), our own
    // shutdown order instead of Hazelcast's hook, and logs through SLF4J like everything else.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "30");
    // Near-cache invalidations go out as they happen, not in batches every few seconds: a revoked
    // key or a suspended tenant must be refused everywhere within a second.
    config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(100);
    if (!cluster.interfaceAddress().isBlank()) {
      network.getInterfaces().setEnabled(true).addInterface(cluster.interfaceAddress());
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetes()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesServiceDns());
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }

    declareMaps(config);
    return config;
  }

  private static void declareMaps(Config config) {
    // Metadata: small, read on every request; near caches keep it in this JVM. Changes are pushed
    // as invalidations; the time-to-lives bound staleness when one is lost (at worst map TTL +
    // near-cache TTL).
    for (String name :
        new String[] {ClusterMaps.TENANTS, ClusterMaps.API_KEYS, ClusterMaps.COLLECTIONS}) {
      config.addMapConfig(
          new MapConfig(name)
              .setBackupCount(1)
              .setTimeToLiveSeconds(METADATA_TTL_SECONDS)
              .setNearCacheConfig(
                  new NearCacheConfig(name)
                      .setInMemoryFormat(InMemoryFormat.OBJECT)
                      .setInvalidateOnChange(true)
                      .setCacheLocalEntries(true)
                      .setTimeToLiveSeconds(NEAR_CACHE_TTL_SECONDS)
                      .setEvictionConfig(
                          new EvictionConfig()
                              .setEvictionPolicy(EvictionPolicy.LRU)
                              .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                              .setSize(100_000))));
    }
    // Records: a cache only (PostgreSQL has the truth), so no backups and a hard memory bound.
    config.addMapConfig(
        new MapConfig(ClusterMaps.RECORDS)
            .setBackupCount(0)
            // Writes invalidate before they answer; this bounds a record whose invalidation was
            // lost to a broken cluster.
            .setTimeToLiveSeconds(RECORDS_TTL_SECONDS)
            .setEvictionConfig(
                new EvictionConfig()
                    .setEvictionPolicy(EvictionPolicy.LRU)
                    .setMaxSizePolicy(MaxSizePolicy.USED_HEAP_PERCENTAGE)
                    .setSize(10)));
    config.addMapConfig(
        new MapConfig(ClusterMaps.RATE_LIMITS).setBackupCount(1).setTimeToLiveSeconds(120));
  }

  /** Starts a member and joins the cluster. Blocking: call from a worker thread. */
  public static HazelcastInstance start(PlinthConfig.Cluster cluster, String serviceName) {
    return Hazelcast.newHazelcastInstance(configure(cluster, serviceName));
  }

  /**
   * {@code plinth_cluster_members}: how many members this one sees (a node that sees fewer than its
   * peers is split from them), and {@code plinth_cluster_running}: 1 while the member runs. Both
   * read local state only.
   */
  public static void registerMetrics(HazelcastInstance member, MeterRegistry meters) {
    Gauge.builder(
            "plinth.cluster.members",
            member,
            m -> m.getLifecycleService().isRunning() ? m.getCluster().getMembers().size() : 0)
        .description("Hazelcast members this node sees, itself included")
        .register(meters);
    Gauge.builder(
            "plinth.cluster.running", member, m -> m.getLifecycleService().isRunning() ? 1 : 0)
        .description("1 while this node's Hazelcast member runs")
        .register(meters);
  }

  /** Readiness: the member runs and sees the cluster. Reads local state only, never blocks. */
  public static ReadinessCheck readinessCheck(HazelcastInstance member) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "hazelcast";
      }

      @Override
      public Future<JsonObject> check() {
        if (!member.getLifecycleService().isRunning()) {
          return Future.failedFuture("the Hazelcast member is not running");
        }
        return Future.succeededFuture(
            new JsonObject()
                .put("cluster", member.getConfig().getClusterName())
                .put("members", member.getCluster().getMembers().size()));
      }
    };
  }
}
