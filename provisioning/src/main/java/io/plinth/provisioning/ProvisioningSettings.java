package io.plinth.provisioning;

import io.plinth.platform.config.ConfigException;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.Parsers;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.config.Secret;
import io.plinth.platform.config.Setting;
import io.plinth.platform.config.Settings;
import io.plinth.provisioning.tenants.TenantSchemas;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the control plane only. */
public record ProvisioningSettings(
    Secret bootstrapOperatorKey,
    int migrationParallelism,
    Duration migrationClaimLease,
    List<String> tenantMigrationLocations,
    Optional<URI> consoleDataPlaneUrl) {

  public static final Setting<Secret> BOOTSTRAP_OPERATOR_KEY =
      Setting.secret(
          "plinth.bootstrap.operator-key",
          "",
          "Control plane: an operator key (plinth_ok_…) accepted on first start, when no operator"
              + " key exists yet; stored hashed, never logged.",
          Parsers::secret);
  public static final Setting<Integer> MIGRATION_PARALLELISM =
      Setting.of(
          "plinth.migrations.parallelism",
          "4",
          "Control plane: tenant schemas migrated at once by a fleet migration, per node.",
          Parsers.intBetween(1, 64));
  public static final Setting<Duration> MIGRATION_CLAIM_LEASE =
      Setting.of(
          "plinth.migrations.claim-lease",
          "30s",
          "Control plane: how long a tenant a node claimed in a fleet migration stays its own; a"
              + " run whose node died resumes that tenant after it. Longer than any one tenant's"
              + " migration.",
          Parsers::duration);
  public static final Setting<List<String>> TENANT_MIGRATION_LOCATIONS =
      Setting.of(
          "plinth.migrations.tenant-locations",
          "classpath:db/tenant",
          "Control plane: comma-separated Flyway locations of the tenant-schema migrations.",
          Parsers.listOf(Parsers::nonBlank));

  public static final Setting<Optional<URI>> CONSOLE_DATA_PLANE_URL =
      Setting.of(
          "plinth.console.data-plane-url",
          "",
          "Control plane: base URL of a data-plane node (or its load balancer) that operators'"
              + " data requests (/admin/v1/tenants/{slug}/data/...) are forwarded to, e.g."
              + " http://127.0.0.1:8080. Empty: those requests get 503 data_plane_unknown.",
          text ->
              text.isBlank()
                  ? Optional.empty()
                  : Optional.of(io.plinth.provisioning.identity.IdentitySettings.httpUrl(text)));

  /** Every control-plane setting, identity's included (docs/configuration.md lists them all). */
  public static final List<Setting<?>> ALL =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  BOOTSTRAP_OPERATOR_KEY,
                  MIGRATION_PARALLELISM,
                  MIGRATION_CLAIM_LEASE,
                  TENANT_MIGRATION_LOCATIONS,
                  CONSOLE_DATA_PLANE_URL),
              io.plinth.provisioning.identity.IdentitySettings.ALL.stream())
          .toList();

  /**
   * @throws ConfigException when a setting is invalid, or the writer pool is too small for the
   *     fleet migration's parallelism (each schema migrated at once holds {@link
   *     TenantSchemas#CONNECTIONS_PER_OPERATION} connections)
   */
  public static ProvisioningSettings load(ConfigSource source) {
    int parallelism = source.value(MIGRATION_PARALLELISM);
    int poolSize = source.value(Settings.DB_POOL_SIZE);
    int needed = parallelism * TenantSchemas.CONNECTIONS_PER_OPERATION;
    if (poolSize < needed) {
      throw new ConfigException(
          List.of(
              PlinthConfig.problem(
                  Settings.DB_POOL_SIZE,
                  "= %d: must be at least %d (%d connections per schema x %s %d)"
                      .formatted(
                          poolSize,
                          needed,
                          TenantSchemas.CONNECTIONS_PER_OPERATION,
                          MIGRATION_PARALLELISM.environmentVariable(),
                          parallelism))));
    }
    return new ProvisioningSettings(
        source.value(BOOTSTRAP_OPERATOR_KEY),
        parallelism,
        source.value(MIGRATION_CLAIM_LEASE),
        source.value(TENANT_MIGRATION_LOCATIONS),
        source.value(CONSOLE_DATA_PLANE_URL));
  }
}
