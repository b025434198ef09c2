package io.plinth.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Starts this node's embedded Hazelcast member. Members find each other through an explicit TCP-IP
 * list (loopback locally and in tests) or Hazelcast's Kubernetes discovery (DNS lookup of a
 * headless Service, or a Service's endpoints from the Kubernetes API; docs/kubernetes-cluster.md);
 * multicast is always off.
 */
public final class ClusterMember {

  private ClusterMember() {}

  /** How long cached registry metadata lives in the cluster before it is read again. */
  public static final int METADATA_TTL_SECONDS = 30;

  /** How long a cached record lives at most (the record cache's fill budget counts over it). */
  public static final int RECORDS_TTL_SECONDS = 60;

  /** How long a member keeps its near-cached copy without hearing of a change. */
  public static final int NEAR_CACHE_TTL_SECONDS = 10;

  /** How long a silent member stays in the cluster before the others drop it. */
  public static final int HEARTBEAT_TIMEOUT_SECONDS = 15;

  /** How long a measurement of a tenant's storage stands before it is measured again. */
  public static final int USAGE_TTL_SECONDS = 15;

  /**
   * Longest a leaving member waits for its partitions to move to the others before it stops anyway
   * (part of the drain a stopping node may take, see {@code PlinthNode#longestStop}).
   */
  public static final int GRACEFUL_SHUTDOWN_MAX_WAIT_SECONDS = 30;

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
    config.setProperty(
        "hazelcast.graceful.shutdown.max.wait", String.valueOf(GRACEFUL_SHUTDOWN_MAX_WAIT_SECONDS));
    // Near-cache invalidations go out as they happen, not in batches every few seconds: a revoked
    // key or a suspended tenant must be refused everywhere within a second.
    config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
    // A member that stops answering (a host gone without closing its sockets, a partition) is
    // dropped after 15 s instead of Hazelcast's 60: until then, reads whose entry it owns wait,
    // and a split side does not know it lost the majority.
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", String.valueOf(HEARTBEAT_TIMEOUT_SECONDS));

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(100);
    if (!cluster.interfaceAddress().isBlank()) {
      network.getInterfaces().setEnabled(true).addInterface(cluster.interfaceAddress());
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetes().enabled()) {
      join.getTcpIpConfig().setEnabled(false);
      joinThroughKubernetes(join.getKubernetesConfig(), cluster.kubernetes(), cluster.port());
      // Peers look for a member on exactly this port: a busy one must fail start-up rather than
      // leave a member nobody finds.
      network.setPortAutoIncrement(false);
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }

    if (cluster.minMembers() > 1) {
      config.addSplitBrainProtectionConfig(
          new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true, cluster.minMembers())
              .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
    }
    declareMaps(config);
    if (cluster.minMembers() > 1) {
      for (String name : PROTECTED_MAPS) {
        config.getMapConfig(name).setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
      }
    }
    return config;
  }

  /** Hazelcast's own Kubernetes discovery (com.hazelcast.kubernetes), in the selected mode. */
  private static void joinThroughKubernetes(
      KubernetesConfig kubernetes, PlinthConfig.Kubernetes settings, int port) {
    kubernetes.setEnabled(true).setProperty("service-port", String.valueOf(port));
    switch (settings.mode()) {
      case DNS -> kubernetes.setProperty("service-dns", settings.serviceDns());
      case API -> {
        kubernetes
            .setProperty("service-name", settings.serviceName())
            .setProperty("kubernetes-master", settings.apiUrl().toString())
            // Members must find each other before their HTTP readiness passes (it needs the
            // cluster), so not-ready endpoints count too.
            .setProperty("resolve-not-ready-addresses", "true")
            // Only members talk to members: no public addresses to look up, so the Role needs no
            // access to Services or Nodes.
            .setProperty("expose-externally", "false");
        if (!settings.namespace().isEmpty()) {
          kubernetes.setProperty("namespace", settings.namespace());
        }
      }
    }
  }

  /**
   * Maps a member split off from the majority must not use: caches that would miss the
   * invalidations sent on the other side (and whose own invalidations would not reach it). The
   * member reads PostgreSQL instead (see {@link ClusterCache}). Rate-limit counters and measured
   * usage may diverge for a while: each side then counts on its own.
   */
  static final List<String> PROTECTED_MAPS =
      List.of(
          ClusterMaps.TENANTS, ClusterMaps.API_KEYS, ClusterMaps.COLLECTIONS, ClusterMaps.RECORDS);

  /** The split-brain protection of {@link #PROTECTED_MAPS}, when {@code min-members} is over 1. */
  public static final String SPLIT_BRAIN_PROTECTION = "plinth-majority";

  /** Whether this member is in a group big enough to use the protected maps. */
  public static boolean hasMajority(HazelcastInstance member) {
    return majority(member).getAsBoolean();
  }

  /**
   * {@link #hasMajority} as a supplier for the request path: the configuration is looked up once,
   * each call then reads the protection's current state.
   */
  public static BooleanSupplier majority(HazelcastInstance member) {
    if (!member.getConfig().getSplitBrainProtectionConfigs().containsKey(SPLIT_BRAIN_PROTECTION)) {
      return () -> true;
    }
    SplitBrainProtection protection =
        member.getSplitBrainProtectionService().getSplitBrainProtection(SPLIT_BRAIN_PROTECTION);
    return protection::hasMinimumSize;
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
    // Usage: measured, not pushed; the time-to-live is how often a tenant's storage is measured.
    config.addMapConfig(
        new MapConfig(ClusterMaps.USAGE)
            .setBackupCount(0)
            .setTimeToLiveSeconds(USAGE_TTL_SECONDS)
            .setNearCacheConfig(
                new NearCacheConfig(ClusterMaps.USAGE)
                    .setInMemoryFormat(InMemoryFormat.OBJECT)
                    .setCacheLocalEntries(true)
                    .setTimeToLiveSeconds(USAGE_TTL_SECONDS)));
    // Issuers' signing keys: no time-to-live, since an issuer's outage must not expire the keys
    // (IssuerKeys refreshes them itself); a backup, so a member's loss does not send every node
    // back to the issuer; each node keeps its own parsed copy, so no near cache.
    config.addMapConfig(
        new MapConfig(ClusterMaps.ISSUER_KEYS)
            .setBackupCount(1)
            .setEvictionConfig(
                new EvictionConfig()
                    .setEvictionPolicy(EvictionPolicy.LRU)
                    .setMaxSizePolicy(MaxSizePolicy.PER_NODE)
                    .setSize(100_000)));
    // The node directory: a backup, so a member's loss does not drop the others' entries; each
    // entry is republished every few seconds and expires when nobody does (NodeDirectory).
    config.addMapConfig(new MapConfig(ClusterMaps.NODES).setBackupCount(1));
    config.addMapConfig(
        new MapConfig(ClusterMaps.RATE_LIMITS).setBackupCount(1).setTimeToLiveSeconds(120));
    // When a split heals, the smaller side's entries are dropped rather than merged in: they are
    // caches and counters, and a cached value from the side that missed an invalidation would
    // come back stale.
    for (MapConfig map : config.getMapConfigs().values()) {
      map.setMergePolicyConfig(
          new MergePolicyConfig(
              DiscardMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
    }
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
        // A member split from the majority stays ready: it serves from PostgreSQL.
        return Future.succeededFuture(
            new JsonObject()
                .put("cluster", member.getConfig().getClusterName())
                .put("members", member.getCluster().getMembers().size())
                .put("majority", hasMajority(member)));
      }
    };
  }
}
