package io.plinth.bench;

import io.plinth.bench.KeycloakHttp.Token;
import io.plinth.localkeycloak.LocalKeycloak;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.server.PlinthMain;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * token request, then Keycloak's RSS and restart time at the largest size. Prints one table. Run by
 * {@code bench/identity}; never part of {@code mvn verify}. Passwords and secrets are made here,
 * used, and never printed.
 */
public final class IdentityBench {

  private static final String PROVISIONER = "plinth-provisioner";
  private static final String APP = "plinth-app";
  private static final String SERVER = "plinth-server";
  private static final String CREATOR = "plinth-realm-creator";
  private static final String SHARED_REALM = "plinth-shared";
  private static final List<String> PROVISIONER_ROLES =
      List.of(
          "manage-users",
          "view-users",
          "query-users",
          "query-groups",
          "manage-clients",
          "view-clients",
          "query-clients",
          "view-realm");
  private static final List<String> SHARED_PROVISIONER_ROLES =
      List.of(
          "manage-realm",
          "view-realm",
          "manage-users",
          "view-users",
          "query-users",
          "query-groups",
          "view-clients",
          "query-clients");
  private static final long LATENCY_BUDGET_NANOS = 90_000_000_000L;
  private static final int MASTER_TOKEN_SAMPLES = 3;
  private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

  private final IdentityBenchOptions options;
  private final Path dataDir;
  private final SecureRandom secrets = new SecureRandom();
  private final Random pick = new Random(7);
  private final Report report = new Report();
  private LocalPostgres postgres;
  private LocalKeycloak currentKc; // the one being measured

  /** A tenant realm that has a provisioner service account (made by the realm or master-sa way). */
  private record TenantRealm(String realm, String provisionerSecret, String userPassword) {}

  /** An organization in the shared realm, and its member. */
  private record TenantOrg(String id, String username, String password) {}

  private IdentityBench(IdentityBenchOptions options) {
    this.options = options;
    this.dataDir = BenchSupport.newDataDir("identity");
  }

  public static void main(String[] args) {
    IdentityBenchOptions options;
    try {
      if (Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("--help")) {
        System.out.println(IdentityBenchOptions.USAGE);
        return;
      }
      options = IdentityBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("identity bench: " + e.getMessage());
      System.err.println(IdentityBenchOptions.USAGE);
      System.exit(2);
      return;
    }
    BenchSupport.quietLogs();
    int status;
    try {
      status = new IdentityBench(options).run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    PlinthMain.flushLogs();
    System.exit(status);
  }

  private int run() throws Exception {
    if (Files.exists(dataDir)) {
      throw new IllegalStateException(dataDir + " exists already; try again in a second");
    }
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
    report.load("start");
    try {
      progress("starting PostgreSQL (data in " + dataDir + ")");
      postgres = LocalPostgres.builder().dataDirectory(dataDir.resolve("postgres")).start();
      if (options.realmSeries()) {
        realmSeries();
      }
      if (options.organizations()) {
        organizationSeries();
      }
    } catch (Exception e) {
      // What was measured before the failure is still worth printing.
      e.printStackTrace();
      report.failure = e.toString();
    } finally {
      progress("stopping PostgreSQL and deleting " + dataDir);
      if (postgres != null) {
        postgres.stop();
      }
      BenchSupport.deleteRecursively(dataDir);
    }
    report.load("end");
    report.print(System.out, options);
    return report.failure == null ? 0 : 1;
  }

  // ------------------------------------------------------------------------------ realm series

  private void realmSeries() throws Exception {
    try (LocalKeycloak kc = startKeycloak("realms")) {
      KeycloakHttp http = new KeycloakHttp(kc.url());
      Supplier<Token> master = tokenSource(() -> masterAdminToken(http, kc));
      String creatorSecret = createRealmCreator(http, master.get());
      Supplier<Token> newCreatorToken =
          () -> http.clientCredentials("master", CREATOR, creatorSecret);
      Supplier<Token> creator = tokenSource(newCreatorToken);

      List<TenantRealm> withProvisioner = new ArrayList<>();
      List<TenantRealm> byCreator = new ArrayList<>();
      int[] realms = {0};
      boolean baselineOn = !options.baseline().isEmpty();
      for (int size : options.realmCheckpoints()) {
        if (realms[0] < size) {
          progress(
              "filling to "
                  + size
                  + " tenant realms (one representation, by "
                  + (options.fillAsCreator() ? "the create-realm account)" : "master admin)"));
        }
        while (realms[0] < size) {
          long started = System.nanoTime();
          Token maker = options.fillAsCreator() ? creator.get() : master.get();
          RealmSetup setup = realmWay(http, maker, slug("r", realms[0] + 1));
          report.fill.add(new double[] {realms[0] + 1, seconds(System.nanoTime() - started)});
          withProvisioner.add(setup.tenant());
          realms[0]++;
        }
        report.load(size + " realms");
        Checkpoint at = new Checkpoint(size);
        report.realmCheckpoints.add(at);
        if (options.realms().contains(size)) {
          measureRealmWays(
              http, master, creator, newCreatorToken, at, realms, withProvisioner, byCreator);
          // So that a run stopped later still leaves what it measured.
          progress("the report so far:");
          report.print(System.out, options);
        }
        if (baselineOn && options.baseline().contains(size)) {
          progress("at " + size + " realms: baseline (separate calls as master admin)");
          for (int i = 0; i < options.setupSamples() && baselineOn; i++) {
            double[] calls;
            try {
              calls = baseline(http, master, slug("b", realms[0] + 1));
            } catch (RuntimeException e) {
              report.baselineStoppedAt = "stopped at " + size + " realms: " + e.getMessage();
              progress("  baseline " + report.baselineStoppedAt);
              baselineOn = false;
              break;
            } finally {
              realms[0]++;
            }
            at.baseline.add(calls);
            double total = Arrays.stream(calls).sum() / 1000;
            progress(String.format(Locale.ROOT, "  baseline tenant: %.2f s", total));
            if (total > options.baselineLimitSeconds()) {
              baselineOn = false;
              report.baselineStoppedAt =
                  String.format(
                      Locale.ROOT,
                      "stopped at %d realms: one tenant took %.1f s (limit %.0f s)",
                      size,
                      total,
                      options.baselineLimitSeconds());
              progress("  " + report.baselineStoppedAt);
            }
          }
        }
      }
      report.realmsFinal = realms[0];
      report.realmRestart =
          restart(
              kc,
              () -> {
                TenantRealm t = withProvisioner.get(pick.nextInt(withProvisioner.size()));
                Map<String, Double> cold = new LinkedHashMap<>();
                Token m = masterAdminToken(http, kc);
                cold.put("master admin token", m.nanos() / 1e6);
                cold.put("GET users, master admin", http.get(m, usersPath(t.realm())).millis());
                Token sa = http.clientCredentials(t.realm(), PROVISIONER, t.provisionerSecret());
                cold.put("realm SA token", sa.nanos() / 1e6);
                cold.put("GET users, realm SA", http.get(sa, usersPath(t.realm())).millis());
                cold.put(
                    "end-user token (password grant)",
                    http.password(t.realm(), APP, "owner", t.userPassword()).nanos() / 1e6);
                return cold;
              });
    }
  }

  private void measureRealmWays(
      KeycloakHttp http,
      Supplier<Token> master,
      Supplier<Token> creator,
      Supplier<Token> newCreatorToken,
      Checkpoint at,
      int[] realms,
      List<TenantRealm> withProvisioner,
      List<TenantRealm> byCreator) {
    int size = at.size;
    progress("at " + size + " realms: realm way (one representation + realm service account)");
    for (int i = 0; i < options.setupSamples(); i++) {
      RealmSetup setup = realmWay(http, master.get(), slug("r", realms[0] + 1));
      realms[0]++;
      withProvisioner.add(setup.tenant());
      // The observation: the next master-admin call into the new realm is slow.
      Token m = master.get();
      double first = http.get(m, usersPath(setup.tenant().realm())).millis();
      double second = http.get(m, usersPath(setup.tenant().realm())).millis();
      // Is it the first write into a realm that is slow for master admin (the baseline's public
      // client), or any write? One into the new realm, one more, one into an older realm.
      String path = "/" + setup.tenant().realm() + "/clients";
      double firstWrite = http.post(master.get(), path, probeClient("probe-1").encode()).millis();
      double secondWrite = http.post(master.get(), path, probeClient("probe-2").encode()).millis();
      TenantRealm older = withProvisioner.get(pick.nextInt(withProvisioner.size() - 1));
      double olderWrite =
          http.post(
                  master.get(),
                  "/" + older.realm() + "/clients",
                  probeClient("probe-" + realms[0]).encode())
              .millis();
      at.realmWay.add(
          new double[] {
            setup.importMillis(),
            setup.followUpMillis(),
            setup.total(),
            first,
            second,
            firstWrite,
            secondWrite,
            olderWrite
          });
    }
    if (report.creatorFailed == null) {
      try {
        creatorWay(http, creator, newCreatorToken, at, realms, withProvisioner, byCreator);
      } catch (RuntimeException e) {
        // E.g. its token, which lists every realm it made, outgrowing the server's header limit.
        report.creatorFailed = "at " + size + " realms: " + e.getMessage();
        progress("  master-sa way failed, not measured further: " + report.creatorFailed);
      }
    }

    progress("at " + size + " realms: admin-call and token latency");
    Map<String, Token> saTokens = new HashMap<>();
    at.adminRealmSa =
        sample(
            () -> {
              TenantRealm t = withProvisioner.get(pick.nextInt(withProvisioner.size()));
              Token sa =
                  fresh(
                      saTokens.get(t.realm()),
                      () -> http.clientCredentials(t.realm(), PROVISIONER, t.provisionerSecret()));
              saTokens.put(t.realm(), sa);
              return http.get(sa, usersPath(t.realm())).nanos();
            });
    at.adminMaster =
        sample(
            () -> {
              TenantRealm t = withProvisioner.get(pick.nextInt(withProvisioner.size()));
              Token m = master.get();
              return http.get(m, usersPath(t.realm())).nanos();
            });
    at.endUserToken =
        sample(
            () -> {
              TenantRealm t = withProvisioner.get(pick.nextInt(withProvisioner.size()));
              return http.password(t.realm(), APP, "owner", t.userPassword()).nanos();
            });
    long[] mint = new long[MASTER_TOKEN_SAMPLES];
    for (int i = 0; i < mint.length; i++) {
      Token t = masterAdminTokenFresh(http);
      mint[i] = t.nanos();
      at.masterTokenChars = t.length();
    }
    at.masterTokenMint = mint;
  }

  /** The master-sa way's tenants at this size, then its admin-call latency. */
  private void creatorWay(
      KeycloakHttp http,
      Supplier<Token> creator,
      Supplier<Token> newCreatorToken,
      Checkpoint at,
      int[] realms,
      List<TenantRealm> withProvisioner,
      List<TenantRealm> byCreator) {
    progress(
        "at " + at.size + " realms: master-sa way (realm made by a create-realm service account)");
    for (int i = 0; i < options.setupSamples(); i++) {
      RealmSetup setup = realmWay(http, creator.get(), slug("c", realms[0] + 1));
      realms[0]++;
      byCreator.add(setup.tenant());
      withProvisioner.add(setup.tenant());
      at.creatorWay.add(new double[] {setup.importMillis(), setup.followUpMillis(), setup.total()});
    }
    // Keycloak checks an admin call against the roles in the caller's token: the create-realm
    // account's token from before it made a realm does not let it into that realm.
    Token[] token = {newCreatorToken.get()};
    at.creatorTokenChars = token[0].length();
    if (options.creatorToken().equals("scoped")) {
      return; // its token carries create-realm alone: it cannot call into any realm, by design
    }
    at.adminCreator =
        sample(
            () -> {
              TenantRealm t = byCreator.get(pick.nextInt(byCreator.size()));
              token[0] = fresh(token[0], newCreatorToken);
              return http.get(token[0], usersPath(t.realm())).nanos();
            });
  }

  /** The realm way: one representation, then the follow-up calls with the realm's own account. */
  private record RealmSetup(TenantRealm tenant, double importMillis, double followUpMillis) {
    double total() {
      return importMillis + followUpMillis;
    }
  }

  private RealmSetup realmWay(KeycloakHttp http, Token creatorToken, String realm) {
    String provisionerSecret = secret();
    String userPassword = secret();
    JsonObject rep = realmRepresentation(realm, provisionerSecret, false);
    rep.getJsonArray("users").add(user("owner", userPassword));
    long start = System.nanoTime();
    http.post(creatorToken, "", rep.encode());
    long imported = System.nanoTime();
    Token sa = http.clientCredentials(realm, PROVISIONER, provisionerSecret);
    http.post(sa, "/" + realm + "/users", user("developer", secret()).encode());
    JsonArray clients = http.get(sa, "/" + realm + "/clients?clientId=" + SERVER).array();
    String id = clients.getJsonObject(0).getString("id");
    String value =
        http.get(sa, "/" + realm + "/clients/" + id + "/client-secret").json().getString("value");
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("no secret for " + SERVER + " in " + realm);
    }
    long done = System.nanoTime();
    return new RealmSetup(
        new TenantRealm(realm, provisionerSecret, userPassword),
        (imported - start) / 1e6,
        (done - imported) / 1e6);
  }

  /** The baseline: realm, public client, confidential client, user; ms per call. */
  private double[] baseline(KeycloakHttp http, Supplier<Token> master, String realm) {
    Token m = master.get();
    JsonObject bare = realmSettings(realm);
    double realmMs = http.post(m, "", bare.encode()).millis();
    double app = http.post(m, "/" + realm + "/clients", appClient().encode()).millis();
    double server = http.post(m, "/" + realm + "/clients", serverClient().encode()).millis();
    double user = http.post(m, "/" + realm + "/users", user("owner", secret()).encode()).millis();
    return new double[] {realmMs, app, server, user};
  }

  /**
   * A master-realm confidential client whose service account holds only {@code create-realm}.
   * Returns its secret.
   */
  private String createRealmCreator(KeycloakHttp http, Token master) {
    String secret = secret();
    JsonObject client =
        new JsonObject()
            .put("clientId", CREATOR)
            .put("publicClient", false)
            .put("secret", secret)
            .put("serviceAccountsEnabled", true)
            .put("standardFlowEnabled", false)
            .put("directAccessGrantsEnabled", false);
    switch (options.creatorToken()) {
      case "lightweight" ->
          client.put(
              "attributes",
              new JsonObject().put("client.use.lightweight.access.token.enabled", "true"));
      case "scoped" -> client.put("fullScopeAllowed", false);
      default -> {
        // regular: full scope, every role the account holds goes into its token
      }
    }
    String id = http.post(master, "/master/clients", client.encode()).createdId();
    String userId =
        http.get(master, "/master/clients/" + id + "/service-account-user").json().getString("id");
    JsonObject role = http.get(master, "/master/roles/create-realm").json();
    http.postNoContent(
        master,
        "/master/users/" + userId + "/role-mappings/realm",
        new JsonArray().add(role).encode());
    if (options.creatorToken().equals("scoped")) {
      http.postNoContent(
          master,
          "/master/clients/" + id + "/scope-mappings/realm",
          new JsonArray().add(role).encode());
    }
    return secret;
  }

  // ----------------------------------------------------------------------- organization series

  private void organizationSeries() throws Exception {
    try (LocalKeycloak kc = startKeycloak("organizations")) {
      KeycloakHttp http = new KeycloakHttp(kc.url());
      Token master = masterAdminToken(http, kc);
      String provisionerSecret = secret();
      JsonObject rep = realmRepresentation(SHARED_REALM, provisionerSecret, true);
      http.post(master, "", rep.encode());
      Supplier<Token> sa =
          tokenSource(() -> http.clientCredentials(SHARED_REALM, PROVISIONER, provisionerSecret));
      List<TenantOrg> orgs = new ArrayList<>();
      for (int size : options.realms()) {
        if (orgs.size() < size) {
          progress("filling to " + size + " organizations in realm " + SHARED_REALM);
        }
        while (orgs.size() < size) {
          long started = System.nanoTime();
          orgs.add(organization(http, sa.get(), slug("o", orgs.size() + 1)));
          report.orgFill.add(new double[] {orgs.size(), seconds(System.nanoTime() - started)});
        }
        report.load(size + " organizations");
        progress("at " + size + " organizations: setup, admin-call and token latency");
        Checkpoint at = new Checkpoint(size);
        report.orgCheckpoints.add(at);
        for (int i = 0; i < options.setupSamples(); i++) {
          long started = System.nanoTime();
          orgs.add(organization(http, sa.get(), slug("o", orgs.size() + 1)));
          at.orgSetup.add((System.nanoTime() - started) / 1e6);
        }
        at.adminRealmSa =
            sample(
                () -> {
                  TenantOrg o = orgs.get(pick.nextInt(orgs.size()));
                  return http.get(
                          sa.get(),
                          "/" + SHARED_REALM + "/organizations/" + o.id() + "/members?max=20")
                      .nanos();
                });
        at.endUserToken =
            sample(
                () -> {
                  TenantOrg o = orgs.get(pick.nextInt(orgs.size()));
                  return http.password(SHARED_REALM, APP, o.username(), o.password()).nanos();
                });
      }
      report.orgsFinal = orgs.size();
      report.orgRestart =
          restart(
              kc,
              () -> {
                TenantOrg o = orgs.get(pick.nextInt(orgs.size()));
                Map<String, Double> cold = new LinkedHashMap<>();
                Token t = http.clientCredentials(SHARED_REALM, PROVISIONER, provisionerSecret);
                cold.put("realm SA token", t.nanos() / 1e6);
                cold.put(
                    "GET members, realm SA",
                    http.get(t, "/" + SHARED_REALM + "/organizations/" + o.id() + "/members")
                        .millis());
                cold.put(
                    "end-user token (password grant)",
                    http.password(SHARED_REALM, APP, o.username(), o.password()).nanos() / 1e6);
                return cold;
              });
    }
  }

  /** An organization, a user, the user made its member: the organization mode's tenant setup. */
  private TenantOrg organization(KeycloakHttp http, Token sa, String alias) {
    JsonObject org =
        new JsonObject()
            .put("name", alias)
            .put("alias", alias)
            .put("enabled", true)
            .put(
                "domains",
                new JsonArray().add(new JsonObject().put("name", alias + ".example.test")));
    String orgId = http.post(sa, "/" + SHARED_REALM + "/organizations", org.encode()).createdId();
    String password = secret();
    String username = alias + "-owner";
    String userId =
        http.post(sa, "/" + SHARED_REALM + "/users", user(username, password).encode()).createdId();
    http.postNoContent(
        sa, "/" + SHARED_REALM + "/organizations/" + orgId + "/members", Json.encode(userId));
    return new TenantOrg(orgId, username, password);
  }

  // ------------------------------------------------------------------- Keycloak and measuring

  private LocalKeycloak startKeycloak(String name) throws SQLException {
    String database = "keycloak_" + name;
    try (Connection c =
            DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
    progress("starting Keycloak " + LocalKeycloak.version() + " on database " + database);
    LocalKeycloak.Builder builder =
        LocalKeycloak.builder()
            .home(dataDir.resolve("keycloak-home"))
            .dataDirectory(dataDir.resolve("keycloak-" + name))
            .database(
                LocalKeycloak.Database.postgres(postgres.jdbcUrl(database), postgres.user(), ""));
    options.keycloakOptions().forEach(builder::option);
    long started = System.nanoTime();
    LocalKeycloak kc = builder.start();
    currentKc = kc;
    progress(
        String.format(
            Locale.ROOT, "  Keycloak answered after %.1f s", seconds(System.nanoTime() - started)));
    return kc;
  }

  private Token masterAdminToken(KeycloakHttp http, LocalKeycloak kc) {
    return http.password("master", "admin-cli", kc.adminUser(), kc.adminPassword());
  }

  private Token masterAdminTokenFresh(KeycloakHttp http) {
    return masterAdminToken(http, currentKc);
  }

  /** Restarts Keycloak after noting its RSS; times the restart and the first calls after it. */
  private Restart restart(LocalKeycloak kc, Supplier<Map<String, Double>> coldCalls) {
    Restart r = new Restart();
    r.rssMib = rssMib(kc);
    progress(String.format(Locale.ROOT, "Keycloak RSS %.0f MiB; restarting it", r.rssMib));
    kc.stop();
    long started = System.nanoTime();
    kc.start();
    r.restartSeconds = seconds(System.nanoTime() - started);
    r.keycloakSays = lastStartedIn(kc.dataDirectory().resolve("keycloak.log"));
    r.cold = coldCalls.get();
    r.rssAfterMib = rssMib(kc);
    return r;
  }

  private long[] sample(Supplier<Long> call) {
    List<Long> nanos = new ArrayList<>();
    long deadline = System.nanoTime() + LATENCY_BUDGET_NANOS;
    for (int i = 0; i < options.samples() && System.nanoTime() < deadline; i++) {
      nanos.add(call.get());
    }
    return nanos.stream().mapToLong(Long::longValue).toArray();
  }

  private static Token fresh(Token token, Supplier<Token> fetch) {
    return token != null && token.fresh() ? token : fetch.get();
  }

  /** A token fetched again when it is about to expire (not timed: a cached token is the norm). */
  private static Supplier<Token> tokenSource(Supplier<Token> fetch) {
    Token[] current = {null};
    return () -> {
      current[0] = fresh(current[0], fetch);
      return current[0];
    };
  }

  /** VmRSS of the Keycloak java process (the one listening on the instance's port), in MiB. */
  static double rssMib(LocalKeycloak kc) {
    String portArg = "--http-port=" + kc.port();
    return ProcessHandle.current()
        .descendants()
        .filter(p -> cmdline(p.pid()).contains(portArg) && cmdline(p.pid()).contains("java"))
        .mapToDouble(p -> vmRssMib(p.pid()))
        .filter(v -> !Double.isNaN(v))
        .max()
        .orElse(Double.NaN);
  }

  private static String cmdline(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  private static double vmRssMib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return Double.NaN;
  }

  /** Keycloak's own "started in N s" from its last start in the log, or NaN. */
  static double lastStartedIn(Path log) {
    try {
      Matcher m = STARTED.matcher(Files.readString(log));
      double last = Double.NaN;
      while (m.find()) {
        last = Double.parseDouble(m.group(1));
      }
      return last;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  // --------------------------------------------------------------------- representations

  private static JsonObject realmSettings(String realm) {
    return new JsonObject()
        .put("realm", realm)
        .put("enabled", true)
        .put("bruteForceProtected", true)
        .put("failureFactor", 10)
        .put("passwordPolicy", "length(12) and notUsername")
        .put("accessTokenLifespan", 300)
        .put("ssoSessionIdleTimeout", 1800)
        .put("ssoSessionMaxLifespan", 36000);
  }

  /** A tenant realm in one piece: settings, clients, a role, the provisioner's account. */
  private static JsonObject realmRepresentation(
      String realm, String provisionerSecret, boolean organizations) {
    JsonObject provisioner =
        new JsonObject()
            .put("clientId", PROVISIONER)
            .put("publicClient", false)
            .put("secret", provisionerSecret)
            .put("serviceAccountsEnabled", true)
            .put("standardFlowEnabled", false)
            .put("directAccessGrantsEnabled", false);
    JsonObject serviceAccount =
        new JsonObject()
            .put("username", "service-account-" + PROVISIONER)
            .put("enabled", true)
            .put("serviceAccountClientId", PROVISIONER)
            .put(
                "clientRoles",
                new JsonObject()
                    .put(
                        "realm-management",
                        new JsonArray(
                            organizations ? SHARED_PROVISIONER_ROLES : PROVISIONER_ROLES)));
    JsonObject rep =
        realmSettings(realm)
            .put("clients", new JsonArray().add(appClient()).add(serverClient()).add(provisioner))
            .put(
                "roles",
                new JsonObject()
                    .put("realm", new JsonArray().add(new JsonObject().put("name", "app-user"))))
            .put("users", new JsonArray().add(serviceAccount));
    if (organizations) {
      rep.put("organizationsEnabled", true);
    }
    return rep;
  }

  private static JsonObject appClient() {
    return new JsonObject()
        .put("clientId", APP)
        .put("publicClient", true)
        .put("standardFlowEnabled", true)
        .put("directAccessGrantsEnabled", true)
        .put("redirectUris", new JsonArray().add("http://localhost:3000/*"))
        .put("webOrigins", new JsonArray().add("+"))
        .put("attributes", new JsonObject().put("pkce.code.challenge.method", "S256"));
  }

  private static JsonObject probeClient(String clientId) {
    return new JsonObject()
        .put("clientId", clientId)
        .put("publicClient", true)
        .put("directAccessGrantsEnabled", false);
  }

  private static JsonObject serverClient() {
    return new JsonObject()
        .put("clientId", SERVER)
        .put("publicClient", false)
        .put("serviceAccountsEnabled", true)
        .put("standardFlowEnabled", false)
        .put("directAccessGrantsEnabled", false);
  }

  /** A user with every attribute the default user profile asks for, so a password grant works. */
  private static JsonObject user(String username, String password) {
    return new JsonObject()
        .put("username", username)
        .put("enabled", true)
        .put("email", username + "@example.test")
        .put("emailVerified", true)
        .put("firstName", "Bench")
        .put("lastName", "User")
        .put(
            "credentials",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "password")
                        .put("value", password)
                        .put("temporary", false)));
  }

  private static String usersPath(String realm) {
    return "/" + realm + "/users?max=20&briefRepresentation=true";
  }

  private String secret() {
    byte[] bytes = new byte[24];
    secrets.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String slug(String kind, int n) {
    return kind.equals("o")
        ? String.format(Locale.ROOT, "t%05d", n)
        : String.format(Locale.ROOT, "plinth-%s%05d", kind, n);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void progress(String message) {
    System.out.println("[bench] " + message);
    System.out.flush();
  }

  // ------------------------------------------------------------------------------ the report

  /** What was measured at one size. */
  static final class Checkpoint {
    final int size;
    final List<double[]> baseline = new ArrayList<>(); // ms: realm, app client, server client, user
    // ms: import, follow-ups, total; master admin: 1st, 2nd GET, 1st, 2nd write, older realm write
    final List<double[]> realmWay = new ArrayList<>();
    final List<double[]> creatorWay = new ArrayList<>(); // ms: import, follow-ups, total
    final List<Double> orgSetup = new ArrayList<>(); // ms
    long[] adminRealmSa = new long[0];
    long[] adminMaster = new long[0];
    long[] adminCreator = new long[0];
    long[] endUserToken = new long[0];
    long[] masterTokenMint = new long[0];
    int masterTokenChars;
    int creatorTokenChars;

    Checkpoint(int size) {
      this.size = size;
    }
  }

  static final class Restart {
    double rssMib;
    double rssAfterMib;
    double restartSeconds;
    double keycloakSays;
    Map<String, Double> cold = Map.of();
  }

  static final class Report {
    Map<String, String> machine = new LinkedHashMap<>();
    final Map<String, String> loads = new LinkedHashMap<>();
    final List<Checkpoint> realmCheckpoints = new ArrayList<>();
    final List<Checkpoint> orgCheckpoints = new ArrayList<>();
    final List<double[]> fill = new ArrayList<>(); // realm number, seconds
    final List<double[]> orgFill = new ArrayList<>();
    String baselineStoppedAt;
    String creatorFailed;
    String failure;
    int realmsFinal;
    int orgsFinal;
    Restart realmRestart;
    Restart orgRestart;

    void load(String when) {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        loads.put(when, f[0] + " " + f[1] + " " + f[2]);
      } catch (IOException | RuntimeException e) {
        loads.put(when, "?");
      }
    }

    void print(PrintStream out, IdentityBenchOptions options) {
      StringBuilder s = new StringBuilder();
      s.append("\nMachine\n=======\n");
      machine.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-34s %s%n", k, v)));
      s.append(
          String.format(
              Locale.ROOT,
              "  %-34s %s%n",
              "load average (1/5/15 min)",
              String.join(
                  "; ",
                  loads.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList())));

      s.append(
          "\nTenant identity setup and latency by size (setup: p50 / max of the tenants set up at"
              + " that size, s; latency: p50 / p99 ms, n requests)\n");
      s.append("=".repeat(126)).append('\n');
      String head =
          String.format(
              Locale.ROOT,
              "  %-50s %6s  %-15s  %-24s  %-24s%n",
              "mode",
              "size",
              "setup s p50/max",
              "admin call ms p50/p99 n",
              "end-user token ms p50/p99 n");
      s.append(head).append("  ").append("-".repeat(head.length() - 3)).append('\n');
      for (Checkpoint c : realmCheckpoints) {
        if (!c.baseline.isEmpty()) {
          s.append(
              row(
                  "a baseline: separate calls, master admin",
                  c.size,
                  c.baseline.stream().mapToDouble(a -> Arrays.stream(a).sum()).toArray(),
                  null,
                  null));
        }
      }
      if (creatorFailed != null) {
        s.append("  (master-sa way failed ").append(creatorFailed).append(")\n");
      }
      if (baselineStoppedAt != null) {
        s.append("  (baseline ").append(baselineStoppedAt).append(")\n");
      }
      for (Checkpoint c : realmCheckpoints) {
        if (!c.realmWay.isEmpty()) {
          s.append(
              row(
                  "b realm: one rep (master admin) + realm SA",
                  c.size,
                  c.realmWay.stream().mapToDouble(a -> a[2]).toArray(),
                  c.adminRealmSa,
                  c.endUserToken));
          s.append(
              row("  same realms, admin call as master admin", c.size, null, c.adminMaster, null));
        }
      }
      for (Checkpoint c : realmCheckpoints) {
        if (!c.creatorWay.isEmpty()) {
          s.append(
              row(
                  "c master-sa: one rep (create-realm SA) + realm SA",
                  c.size,
                  c.creatorWay.stream().mapToDouble(a -> a[2]).toArray(),
                  c.adminCreator,
                  null));
        }
      }
      for (Checkpoint c : orgCheckpoints) {
        s.append(
            row(
                "d organization in one shared realm (realm SA)",
                c.size,
                c.orgSetup.stream().mapToDouble(Double::doubleValue).toArray(),
                c.adminRealmSa,
                c.endUserToken));
      }
      s.append(
          "  (admin call: b, c: GET /admin/realms/{realm}/users?max=20 into a random existing"
              + " tenant realm, as the realm's provisioner SA (b), as master admin, as the"
              + " create-realm SA into realms it made (c); d: GET organizations/{id}/members as the"
              + " shared realm's SA. End-user token: password grant at the public client)\n");

      s.append("\nWhere a tenant's setup time goes (ms, p50 over the tenants at that size)\n");
      s.append("=".repeat(72)).append('\n');
      for (Checkpoint c : realmCheckpoints) {
        if (!c.baseline.isEmpty()) {
          s.append(
              String.format(
                  Locale.ROOT,
                  "  a  %5d realms: create realm %s, public client %s, confidential client %s,"
                      + " user %s%n",
                  c.size,
                  ms(median(col(c.baseline, 0))),
                  ms(median(col(c.baseline, 1))),
                  ms(median(col(c.baseline, 2))),
                  ms(median(col(c.baseline, 3)))));
        }
      }
      for (Checkpoint c : realmCheckpoints) {
        if (!c.realmWay.isEmpty()) {
          s.append(
              String.format(
                  Locale.ROOT,
                  "  b  %5d realms: import %s, follow-ups as realm SA %s; then master admin's"
                      + " first call (GET users) into it %s, second %s; master admin's first"
                      + " write (POST client) into it %s, second %s, a write into an older realm"
                      + " %s%n",
                  c.size,
                  ms(median(col(c.realmWay, 0))),
                  ms(median(col(c.realmWay, 1))),
                  ms(median(col(c.realmWay, 3))),
                  ms(median(col(c.realmWay, 4))),
                  ms(median(col(c.realmWay, 5))),
                  ms(median(col(c.realmWay, 6))),
                  ms(median(col(c.realmWay, 7)))));
        }
      }
      for (Checkpoint c : realmCheckpoints) {
        if (!c.creatorWay.isEmpty()) {
          s.append(
              String.format(
                  Locale.ROOT,
                  "  c  %5d realms: import %s, follow-ups %s; create-realm SA token %d chars%n",
                  c.size,
                  ms(median(col(c.creatorWay, 0))),
                  ms(median(col(c.creatorWay, 1))),
                  c.creatorTokenChars));
        }
      }
      for (Checkpoint c : realmCheckpoints) {
        if (c.masterTokenMint.length > 0) {
          s.append(
              String.format(
                  Locale.ROOT,
                  "     %5d realms: master admin token request %s (p50 of %d), token %d chars%n",
                  c.size,
                  ms(Stats.p(c.masterTokenMint, 0.5)),
                  c.masterTokenMint.length,
                  c.masterTokenChars));
        }
      }
      if (!fill.isEmpty()) {
        s.append("  b (fill, every tenant): setup s p50 / max by realms existing before it:");
        int from = 0;
        for (int size : options.realmCheckpoints()) {
          final int lo = from;
          double[] slice =
              fill.stream().filter(f -> f[0] > lo && f[0] <= size).mapToDouble(f -> f[1]).toArray();
          if (slice.length > 0) {
            s.append(
                String.format(
                    Locale.ROOT,
                    " %d-%d: %.2f/%.2f;",
                    lo + 1,
                    size,
                    median(slice),
                    Arrays.stream(slice).max().orElse(0)));
          }
          from = size;
        }
        s.append(" (fill tenant numbers; checkpoint samples add a few realms each)\n");
      }
      if (!orgFill.isEmpty()) {
        double[] all = orgFill.stream().mapToDouble(f -> f[1]).toArray();
        s.append(
            String.format(
                Locale.ROOT,
                "  d (fill, every organization): setup p50 %.3f s, max %.3f s over %d%n",
                median(all),
                Arrays.stream(all).max().orElse(0),
                all.length));
      }

      s.append("\nKeycloak at the largest size: RSS, restart, first calls after the restart\n");
      s.append("=".repeat(72)).append('\n');
      if (realmRestart != null) {
        s.append(restartLine("realm series, " + realmsFinal + " tenant realms", realmRestart));
      }
      if (orgRestart != null) {
        s.append(
            restartLine(
                "organization series, 1 shared realm, " + orgsFinal + " organizations",
                orgRestart));
      }
      if (failure != null) {
        s.append("\nTHE RUN FAILED before it ended (the figures above are those taken before): ")
            .append(failure)
            .append('\n');
      }
      out.print(s);
      out.flush();
    }

    private static String restartLine(String what, Restart r) {
      StringBuilder s =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "  %s: RSS %.0f MiB before, %.0f MiB after the first calls; restart %.1f s"
                      + " (stop to master realm answering; Keycloak's log: started in %.1f s)%n",
                  what,
                  r.rssMib,
                  r.rssAfterMib,
                  r.restartSeconds,
                  r.keycloakSays));
      s.append("    first calls after it:");
      r.cold.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %s;", k, ms(v))));
      return s.append('\n').toString();
    }

    private static String row(String mode, int size, double[] setupMs, long[] admin, long[] token) {
      return String.format(
          Locale.ROOT,
          "  %-50s %6d  %-15s  %-24s  %-24s%n",
          mode,
          size,
          setupMs == null || setupMs.length == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  "%.2f / %.2f",
                  median(setupMs) / 1000,
                  Arrays.stream(setupMs).max().orElse(0) / 1000),
          latency(admin),
          latency(token));
    }

    private static String latency(long[] nanos) {
      if (nanos == null || nanos.length == 0) {
        return "";
      }
      return String.format(
          Locale.ROOT,
          "%s / %s  %d",
          num(Stats.p(nanos, 0.5)),
          num(Stats.p(nanos, 0.99)),
          nanos.length);
    }

    private static String num(double ms) {
      return ms >= 100
          ? String.format(Locale.ROOT, "%.0f", ms)
          : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static String ms(double ms) {
      return ms >= 1000
          ? String.format(Locale.ROOT, "%.2f s", ms / 1000)
          : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    private static double[] col(List<double[]> rows, int i) {
      return rows.stream().mapToDouble(r -> r[i]).toArray();
    }

    private static double median(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      return sorted.length == 0 ? Double.NaN : sorted[(sorted.length - 1) / 2];
    }
  }

  /** Nearest-rank percentiles of nanosecond samples, in ms. */
  static final class Stats {
    private Stats() {}

    static double p(long[] nanos, double p) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      int index = (int) Math.ceil(p * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
  }
}
