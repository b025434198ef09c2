package io.plinth.provisioning.registry;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Creates and upgrades the control plane's registry, schema {@code plinth}. Blocking. */
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
