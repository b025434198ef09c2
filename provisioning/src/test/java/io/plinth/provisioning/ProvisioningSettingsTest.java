package io.plinth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.config.ConfigException;
import io.plinth.platform.config.ConfigSource;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProvisioningSettingsTest {

  private static ProvisioningSettings load(Map<String, String> settings) {
    return ProvisioningSettings.load(
        new ConfigSource(settings, new Properties(), Map.of(), Map.of()));
  }

  @Test
  void theDefaultsFitTogether() {
    assertThat(load(Map.of()).migrationParallelism()).isEqualTo(4);
  }

  @Test
  void aPoolTooSmallForTheMigrationParallelismStopsStartUpNamingBothSettings() {
    assertThatThrownBy(
            () -> load(Map.of("plinth.db.pool-size", "8", "plinth.migrations.parallelism", "4")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid setting PLINTH_DB_POOL_SIZE (plinth.db.pool-size) = 8: must be at least 12"
                + " (3 connections per schema x PLINTH_MIGRATIONS_PARALLELISM 4)");
  }

  @Test
  void aPoolOfExactlyWhatTheMigrationsNeedIsEnough() {
    assertThat(
            load(Map.of("plinth.db.pool-size", "6", "plinth.migrations.parallelism", "2"))
                .migrationParallelism())
        .isEqualTo(2);
  }
}
