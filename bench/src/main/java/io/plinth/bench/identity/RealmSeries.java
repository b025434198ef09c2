package io.plinth.bench.identity;

import static io.plinth.bench.identity.Representations.CREATOR;
import static io.plinth.bench.identity.Representations.PROVISIONER;
import static io.plinth.bench.identity.Representations.probeClient;
import static io.plinth.bench.identity.Representations.slug;
import static io.plinth.bench.identity.Representations.usersPath;

import io.plinth.bench.identity.RealmSetups.RealmSetup;
import io.plinth.bench.identity.RealmSetups.TenantRealm;
import io.plinth.bench.run.KeycloakHttp;
import io.plinth.bench.run.KeycloakHttp.Token;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The realm series on a Keycloak of its own: tenant realms filled up to each size, and at each size
 * the realm way, the master-sa way and the baseline set up a few tenants while admin calls and
 * token requests are timed; then Keycloak's restart at the largest size.
 */
final class RealmSeries {

  private static final int MASTER_TOKEN_SAMPLES = 3;

  private final IdentityBenchOptions options;
  private final IdentityReport report;
  private final Sampler sampler;
  private final BenchKeycloak kc;
  private final KeycloakHttp http;
  private final RealmSetups setups;
  private final Supplier<Token> master;
  private Supplier<Token> newCreatorToken;
  private Supplier<Token> creator;
  private final List<TenantRealm> withProvisioner = new ArrayList<>();
  private final List<TenantRealm> byCreator = new ArrayList<>();
  private int realms; // tenant realms made so far, whichever the way
  private boolean baselineOn;

  RealmSeries(
      IdentityBenchOptions options, IdentityReport report, Sampler sampler, BenchKeycloak kc) {
    this.options = options;
    this.report = report;
    this.sampler = sampler;
    this.kc = kc;
    this.http = kc.http();
    this.setups = new RealmSetups(http, options);
    this.master = KeycloakHttp.cached(kc::masterAdminToken);
    this.baselineOn = !options.baseline().isEmpty();
  }

  void run() {
    String creatorSecret = setups.createRealmCreator(master.get());
    newCreatorToken = () -> http.clientCredentials("master", CREATOR, creatorSecret);
    creator = KeycloakHttp.cached(newCreatorToken);
    for (int size : options.realmCheckpoints()) {
      fill(size);
      report.load(size + " realms");
      Checkpoint at = new Checkpoint(size);
      report.realmCheckpoints.add(at);
      if (options.realms().contains(size)) {
        measureRealmWays(at);
        // So that a run stopped later still leaves what it measured.
        Progress.say("the report so far:");
        report.print(System.out, options);
      }
      if (baselineOn && options.baseline().contains(size)) {
        baseline(at);
      }
    }
    report.realmsFinal = realms;
    report.realmRestart = kc.restart(this::coldCalls);
  }

  /** Tenant realms made the realm way until there are {@code size}. */
  private void fill(int size) {
    if (realms < size) {
      Progress.say(
          "filling to "
              + size
              + " tenant realms (one representation, by "
              + (options.fillAsCreator() ? "the create-realm account)" : "master admin)"));
    }
    while (realms < size) {
      long started = System.nanoTime();
      Token maker = options.fillAsCreator() ? creator.get() : master.get();
      RealmSetup setup = setups.realmWay(maker, slug("r", realms + 1));
      report.fill.add(new double[] {realms + 1, Sampling.secondsSince(started)});
      withProvisioner.add(setup.tenant());
      realms++;
    }
  }

  private void measureRealmWays(Checkpoint at) {
    Progress.say(
        "at " + at.size + " realms: realm way (one representation + realm service account)");
    for (int i = 0; i < options.setupSamples(); i++) {
      at.realmWay.add(realmWay());
    }
    if (report.creatorFailed == null) {
      try {
        creatorWay(at);
      } catch (RuntimeException e) {
        // E.g. its token, which lists every realm it made, outgrowing the server's header limit.
        report.creatorFailed = "at " + at.size + " realms: " + e.getMessage();
        Progress.say("  master-sa way failed, not measured further: " + report.creatorFailed);
      }
    }
    latencies(at);
  }

  /**
   * One tenant the realm way as master admin, and master admin's calls into it after: ms of the
   * import, the follow-ups, their total, master admin's first and second GET, first and second
   * write into it, and a write into an older realm.
   */
  private double[] realmWay() {
    RealmSetup setup = setups.realmWay(master.get(), slug("r", realms + 1));
    realms++;
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
    TenantRealm older = sampler.pickButLast(withProvisioner);
    double olderWrite =
        http.post(
                master.get(),
                "/" + older.realm() + "/clients",
                probeClient("probe-" + realms).encode())
            .millis();
    return new double[] {
      setup.importMillis(),
      setup.followUpMillis(),
      setup.total(),
      first,
      second,
      firstWrite,
      secondWrite,
      olderWrite
    };
  }

  /** The master-sa way's tenants at this size, then its admin-call latency. */
  private void creatorWay(Checkpoint at) {
    Progress.say(
        "at " + at.size + " realms: master-sa way (realm made by a create-realm service account)");
    for (int i = 0; i < options.setupSamples(); i++) {
      RealmSetup setup = setups.realmWay(creator.get(), slug("c", realms + 1));
      realms++;
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
        sampler.sample(
            () -> {
              TenantRealm t = sampler.pick(byCreator);
              token[0] = KeycloakHttp.fresh(token[0], newCreatorToken);
              return http.get(token[0], usersPath(t.realm())).nanos();
            });
  }

  /** Admin calls as the realm's account and as master admin, end users' and master's tokens. */
  private void latencies(Checkpoint at) {
    Progress.say("at " + at.size + " realms: admin-call and token latency");
    Map<String, Token> saTokens = new HashMap<>();
    at.adminRealmSa =
        sampler.sample(
            () -> {
              TenantRealm t = sampler.pick(withProvisioner);
              Token sa =
                  KeycloakHttp.fresh(
                      saTokens.get(t.realm()),
                      () -> http.clientCredentials(t.realm(), PROVISIONER, t.provisionerSecret()));
              saTokens.put(t.realm(), sa);
              return http.get(sa, usersPath(t.realm())).nanos();
            });
    at.adminMaster =
        sampler.sample(
            () -> {
              TenantRealm t = sampler.pick(withProvisioner);
              Token m = master.get();
              return http.get(m, usersPath(t.realm())).nanos();
            });
    at.endUserToken =
        sampler.sample(() -> setups.endUserToken(sampler.pick(withProvisioner)).nanos());
    long[] mint = new long[MASTER_TOKEN_SAMPLES];
    for (int i = 0; i < mint.length; i++) {
      Token t = kc.masterAdminToken();
      mint[i] = t.nanos();
      at.masterTokenChars = t.length();
    }
    at.masterTokenMint = mint;
  }

  /** The baseline's tenants at this size, until one takes longer than the limit. */
  private void baseline(Checkpoint at) {
    Progress.say("at " + at.size + " realms: baseline (separate calls as master admin)");
    for (int i = 0; i < options.setupSamples() && baselineOn; i++) {
      double[] calls;
      try {
        calls = setups.baseline(master.get(), slug("b", realms + 1));
      } catch (RuntimeException e) {
        report.baselineStoppedAt = "stopped at " + at.size + " realms: " + e.getMessage();
        Progress.say("  baseline " + report.baselineStoppedAt);
        baselineOn = false;
        break;
      } finally {
        realms++;
      }
      at.baseline.add(calls);
      double total = Arrays.stream(calls).sum() / 1000;
      Progress.say(String.format(Locale.ROOT, "  baseline tenant: %.2f s", total));
      if (total > options.baselineLimitSeconds()) {
        baselineOn = false;
        report.baselineStoppedAt =
            String.format(
                Locale.ROOT,
                "stopped at %d realms: one tenant took %.1f s (limit %.0f s)",
                at.size,
                total,
                options.baselineLimitSeconds());
        Progress.say("  " + report.baselineStoppedAt);
      }
    }
  }

  /** The first calls after Keycloak's restart, in ms. */
  private Map<String, Double> coldCalls() {
    TenantRealm t = sampler.pick(withProvisioner);
    Map<String, Double> cold = new LinkedHashMap<>();
    Token m = kc.masterAdminToken();
    cold.put("master admin token", m.nanos() / 1e6);
    cold.put("GET users, master admin", http.get(m, usersPath(t.realm())).millis());
    Token sa = http.clientCredentials(t.realm(), PROVISIONER, t.provisionerSecret());
    cold.put("realm SA token", sa.nanos() / 1e6);
    cold.put("GET users, realm SA", http.get(sa, usersPath(t.realm())).millis());
    cold.put("end-user token (password grant)", setups.endUserToken(t).nanos() / 1e6);
    return cold;
  }
}
