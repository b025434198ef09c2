package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.plinth.platform.config.PlinthConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The member configuration, checked without starting a member. */
class ClusterMemberTest {

  @Test
  void loopbackMembersJoinOverTcpIpWithMulticastOff() {
    Config config =
        ClusterMember.configure(
            new PlinthConfig.Cluster(
                "plinth-x",
                "127.0.0.1",
                5801,
                List.of("127.0.0.1:5801", "127.0.0.1:5802"),
                2,
                PlinthConfig.Kubernetes.OFF),
            "tenant-api");

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(config.getClusterName()).isEqualTo("plinth-x");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("15");
    assertThat(config.getMapConfigs())
        .containsKeys(
            ClusterMaps.TENANTS,
            ClusterMaps.API_KEYS,
            ClusterMaps.COLLECTIONS,
            ClusterMaps.RECORDS,
            ClusterMaps.RATE_LIMITS,
            ClusterMaps.ISSUER_KEYS);
    assertThat(config.getMapConfig(ClusterMaps.ISSUER_KEYS).getTimeToLiveSeconds()).isZero();
    assertThat(config.getMapConfig(ClusterMaps.API_KEYS).getNearCacheConfig()).isNotNull();
  }

  @Test
  void withMinMembersTheCachesAreProtectedFromSplitBrainAndTheSmallerSideIsDiscarded() {
    Config config = loopbackWithMinMembers(2);

    SplitBrainProtectionConfig protection =
        config.getSplitBrainProtectionConfigs().get(ClusterMember.SPLIT_BRAIN_PROTECTION);
    assertThat(protection.isEnabled()).isTrue();
    assertThat(protection.getMinimumClusterSize()).isEqualTo(2);
    assertThat(protection.getProtectOn()).isEqualTo(SplitBrainProtectionOn.READ_WRITE);
    for (String cache :
        List.of(
            ClusterMaps.TENANTS,
            ClusterMaps.API_KEYS,
            ClusterMaps.COLLECTIONS,
            ClusterMaps.RECORDS)) {
      assertThat(config.getMapConfig(cache).getSplitBrainProtectionName())
          .as(cache)
          .isEqualTo(ClusterMember.SPLIT_BRAIN_PROTECTION);
    }
    // Counters may diverge for a while: each side counts on its own.
    assertThat(config.getMapConfig(ClusterMaps.RATE_LIMITS).getSplitBrainProtectionName()).isNull();
    assertThat(config.getMapConfigs().values())
        .allSatisfy(
            map ->
                assertThat(map.getMergePolicyConfig().getPolicy())
                    .isEqualTo(DiscardMergePolicy.class.getName()));
  }

  @Test
  void oneMinMemberMeansNoSplitBrainProtection() {
    Config config = loopbackWithMinMembers(1);
    assertThat(config.getSplitBrainProtectionConfigs()).isEmpty();
    assertThat(config.getMapConfig(ClusterMaps.RECORDS).getSplitBrainProtectionName()).isNull();
  }

  @Test
  void kubernetesDnsDiscoveryReplacesTheMemberListAndPinsThePort() {
    Config config =
        ClusterMember.configure(
            new PlinthConfig.Cluster(
                "plinth",
                "",
                5701,
                List.of("127.0.0.1"),
                1,
                PlinthConfig.Kubernetes.dns("plinth-hz.plinth.svc")),
            "provisioning");

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("service-dns", "plinth-hz.plinth.svc", "service-port", "5701"));
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
  }

  @Test
  void kubernetesApiDiscoveryReadsTheServicesEndpointsReadyOrNot() {
    Config config =
        ClusterMember.configure(
            new PlinthConfig.Cluster(
                "plinth",
                "",
                5702,
                List.of(),
                1,
                PlinthConfig.Kubernetes.api(
                    "plinth-hazelcast", "plinth", URI.create("https://kubernetes.default.svc"))),
            "tenant-api");

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "service-name", "plinth-hazelcast",
                "namespace", "plinth",
                "kubernetes-master", "https://kubernetes.default.svc",
                "service-port", "5702",
                "resolve-not-ready-addresses", "true",
                "expose-externally", "false"));
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
  }

  private static Config loopbackWithMinMembers(int minMembers) {
    return ClusterMember.configure(
        new PlinthConfig.Cluster(
            "plinth",
            "127.0.0.1",
            5701,
            List.of("127.0.0.1"),
            minMembers,
            PlinthConfig.Kubernetes.OFF),
        "tenant-api");
  }
}
