package io.plinth.provisioning;

import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.Parsers;
import io.plinth.platform.config.Secret;
import io.plinth.platform.config.Setting;
import java.util.List;

/** Settings of the control plane only. */
public record ProvisioningSettings(
    Secret bootstrapOperatorKey, int migrationParallelism, List<String> tenantMigrationLocations) {

  public static final Setting<Secret> BOOTSTRAP_OPERATOR_KEY =
      new Setting<>(
          "plinth.bootstrap.operator-key",
          "",
          true,
          "Control plane: an operator key (plinth_ok_…) accepted on first start, when no operator"
              + " key exists yet; stored hashed, never logged.",
          Parsers::secret);
  public static final Setting<Integer> MIGRATION_PARALLELISM =
      new Setting<>(
          "plinth.migrations.parallelism",
          "4",
          false,
          "Control plane: tenant schemas migrated at once by a fleet migration, per node.",
          Parsers.intBetween(1, 64));
  public static final Setting<List<String>> TENANT_MIGRATION_LOCATIONS =
      new Setting<>(
          "plinth.migrations.tenant-locations",
          "classpath:db/tenant",
          false,
          "Control plane: comma-separated Flyway locations of the tenant-schema migrations.",
          Parsers.listOf(Parsers::nonBlank));

  /** Every control-plane setting, identity's included (the README's table lists them all). */
  public static final List<Setting<?>> ALL =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  BOOTSTRAP_OPERATOR_KEY, MIGRATION_PARALLELISM, TENANT_MIGRATION_LOCATIONS),
              io.plinth.provisioning.identity.IdentitySettings.ALL.stream())
          .toList();

  public static ProvisioningSettings load(ConfigSource source) {
    return new ProvisioningSettings(
        source.value(BOOTSTRAP_OPERATOR_KEY),
        source.value(MIGRATION_PARALLELISM),
        source.value(TENANT_MIGRATION_LOCATIONS));
  }
}
