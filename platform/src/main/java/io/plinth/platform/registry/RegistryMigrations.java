package io.plinth.platform.registry;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Creates and upgrades the registry, schema {@code plinth}, from {@code db/registry} on the
 * classpath. The control plane runs it at start. Blocking.
 */
public final class RegistryMigrations {

  public static final String SCHEMA = "plinth";

  private RegistryMigrations() {}

  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/registry")
        .failOnMissingLocations(true)
        .cleanDisabled(true)
        .loggers("slf4j")
        .load()
        .migrate();
  }
}
