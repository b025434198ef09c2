package io.plinth.bench.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.bench.dataplane.DataPlaneOptions.Group;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class DataPlaneOptionsTest {

  @Test
  void defaultsRunEveryGroup() {
    DataPlaneOptions o = DataPlaneOptions.parse();

    assertThat(o.durationSeconds()).isEqualTo(15);
    assertThat(o.connections()).isEqualTo(32);
    assertThat(o.warmupSeconds()).isEqualTo(5);
    assertThat(o.groups()).isEqualTo(EnumSet.allOf(Group.class));
    assertThat(DataPlaneOptions.USAGE).endsWith("(default all: http,tenants,noisy,pgbench)]");
  }

  @Test
  void onlyPicksGroupsAndNoWarmUpIsAllowed() {
    DataPlaneOptions o =
        DataPlaneOptions.parse(
            "--only", "noisy, http", "--warmup-seconds", "0", "--duration-seconds", "3");

    assertThat(o.groups()).containsExactlyInAnyOrder(Group.NOISY, Group.HTTP);
    assertThat(o.runs(Group.PGBENCH)).isFalse();
    assertThat(o.warmupSeconds()).isZero();
    assertThat(o.durationSeconds()).isEqualTo(3);
  }

  @Test
  void refusesWhatItCannotUse() {
    assertThatThrownBy(() -> DataPlaneOptions.parse("--only", "http,disk"))
        .hasMessage("--only: no group disk; groups: [http, tenants, noisy, pgbench]");
    assertThatThrownBy(() -> DataPlaneOptions.parse("--only"))
        .hasMessage("--only needs a list of groups");
    assertThatThrownBy(() -> DataPlaneOptions.parse("--duration-seconds", "0"))
        .hasMessage("--duration-seconds: not a whole number >= 1: 0");
    assertThatThrownBy(() -> DataPlaneOptions.parse("--warmup-seconds", "-1"))
        .hasMessage("--warmup-seconds: not a whole number >= 0: -1");
    assertThatThrownBy(() -> DataPlaneOptions.parse("--connections"))
        .hasMessage("--connections needs a number");
    assertThatThrownBy(() -> DataPlaneOptions.parse("--tenants", "5"))
        .hasMessage("unknown option --tenants");
  }
}
