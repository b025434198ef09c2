package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.plinth.platform.config.PlinthConfig;
import java.util.List;
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
                false,
                ""),
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
  void kubernetesDiscoveryReplacesTheMemberList() {
    Config config =
        ClusterMember.configure(
            new PlinthConfig.Cluster(
                "plinth", "", 5701, List.of("127.0.0.1"), 1, true, "plinth-hz.plinth.svc"),
            "provisioning");

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("plinth-hz.plinth.svc");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
  }

  private static Config loopbackWithMinMembers(int minMembers) {
    return ClusterMember.configure(
        new PlinthConfig.Cluster(
            "plinth", "127.0.0.1", 5701, List.of("127.0.0.1"), minMembers, false, ""),
        "tenant-api");
  }
}
