package io.plinth.bench.identity;

import io.plinth.bench.report.MachineInfo;
import io.plinth.bench.run.BenchMain;
import io.plinth.bench.run.DataDir;
import io.plinth.bench.run.Progress;
import io.plinth.localkeycloak.LocalKeycloak;
import io.plinth.localpostgres.LocalPostgres;
import java.nio.file.Path;

/**
 * How far one Keycloak goes with a realm per tenant, and what gets it further: a real Keycloak
 * ({@link LocalKeycloak}, the distribution Plinth tests with) on a PostgreSQL of its own ({@link
 * LocalPostgres}), driven through the admin REST API. Measures, at growing numbers of realms:
 *
 * <ul>
 *   <li>the baseline: a tenant set up with separate calls as the master {@code admin} user;
 *   <li>{@code realm}: one realm representation (clients, roles, a {@code plinth-provisioner}
 *       service account with realm-management roles, a user) created by master {@code admin}, the
 *       follow-up calls made with the realm's own service account;
 *   <li>{@code master-sa}: the same, the realm created by a master service account holding only
 *       {@code create-realm};
 *   <li>{@code organization}: an Organization with a member per tenant in one shared realm (a
 *       Keycloak of its own);
 * </ul>
 *
 * <p>and per size the latency of a typical admin call into an existing realm and of an end user's
 * token request, then Keycloak's RSS and restart time at the largest size ({@link RealmSeries},
 * {@link OrganizationSeries}). Prints one table ({@link IdentityReport}). Run by {@code
 * bench/identity}; never part of {@code mvn verify}. Passwords and secrets are made here, used, and
 * never printed.
 */
public final class IdentityBench {

  private final IdentityBenchOptions options;
  private final Path dataDir = DataDir.fresh("identity");
  private final IdentityReport report = new IdentityReport();
  private final Sampler sampler;

  private IdentityBench(IdentityBenchOptions options) {
    this.options = options;
    this.sampler = new Sampler(options);
  }

  public static void main(String[] args) {
    BenchMain.main(
        "identity",
        IdentityBenchOptions.USAGE,
        false,
        args,
        command -> {
          IdentityBenchOptions options = IdentityBenchOptions.parse(command);
          return () -> new IdentityBench(options).run();
        });
  }

  private int run() throws Exception {
    DataDir.requireAbsent(dataDir);
    describeMachine();
    report.load("start");
    LocalPostgres postgres = null;
    try {
      Progress.say("starting PostgreSQL (data in " + dataDir + ")");
      postgres = LocalPostgres.builder().dataDirectory(dataDir.resolve("postgres")).start();
      if (options.realmSeries()) {
        try (BenchKeycloak kc = BenchKeycloak.start("realms", postgres, dataDir, options)) {
          new RealmSeries(options, report, sampler, kc).run();
        }
      }
      if (options.organizations()) {
        try (BenchKeycloak kc = BenchKeycloak.start("organizations", postgres, dataDir, options)) {
          new OrganizationSeries(options, report, sampler, kc).run();
        }
      }
    } catch (Exception e) {
      // What was measured before the failure is still worth printing.
      e.printStackTrace();
      report.failure = e.toString();
    } finally {
      Progress.say("stopping PostgreSQL and deleting " + dataDir);
      if (postgres != null) {
        postgres.stop();
      }
      DataDir.delete(dataDir);
    }
    report.load("end");
    report.print(System.out, options);
    return report.failure == null ? 0 : 1;
  }

  private void describeMachine() {
    report.machine = MachineInfo.collect();
    report.machine.put("Keycloak", LocalKeycloak.version() + " (kc.sh start-dev, PostgreSQL)");
    report.machine.put(
        "Keycloak heap (JAVA_OPTS_KC_HEAP)",
        System.getenv().getOrDefault("JAVA_OPTS_KC_HEAP", "(kc.sh default)"));
    report.machine.put(
        "create-realm SA tokens / fill",
        options.creatorToken()
            + " / realms between sizes made by "
            + (options.fillAsCreator() ? "the create-realm SA" : "master admin"));
    report.machine.put(
        "Keycloak options",
        options.keycloakOptions().isEmpty()
            ? "(none)"
            : String.join(" ", options.keycloakOptions()));
  }
}
