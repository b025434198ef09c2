package io.plinth.bench.identity;

import static io.plinth.bench.identity.Representations.APP;
import static io.plinth.bench.identity.Representations.PROVISIONER;
import static io.plinth.bench.identity.Representations.SHARED_REALM;
import static io.plinth.bench.identity.Representations.slug;
import static io.plinth.bench.run.KeycloakHttp.secret;

import io.plinth.bench.run.KeycloakHttp;
import io.plinth.bench.run.KeycloakHttp.Token;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The organization series on a Keycloak of its own: one shared realm, an Organization with a member
 * per tenant, filled up to each size; at each size a few more tenants set up, the shared realm's
 * admin calls and end users' token requests timed; then Keycloak's restart at the largest size.
 */
final class OrganizationSeries {

  /** An organization in the shared realm, and its member. */
  private record TenantOrg(String id, String username, String password) {}

  private final IdentityBenchOptions options;
  private final IdentityReport report;
  private final Sampler sampler;
  private final BenchKeycloak kc;
  private final KeycloakHttp http;
  private final List<TenantOrg> orgs = new ArrayList<>();
  private String provisionerSecret;
  private Supplier<Token> sa;

  OrganizationSeries(
      IdentityBenchOptions options, IdentityReport report, Sampler sampler, BenchKeycloak kc) {
    this.options = options;
    this.report = report;
    this.sampler = sampler;
    this.kc = kc;
    this.http = kc.http();
  }

  void run() {
    Token master = kc.masterAdminToken();
    provisionerSecret = secret();
    JsonObject rep = Representations.realmRepresentation(SHARED_REALM, provisionerSecret, true);
    http.post(master, "", rep.encode());
    sa =
        KeycloakHttp.cached(
            () -> http.clientCredentials(SHARED_REALM, PROVISIONER, provisionerSecret));
    for (int size : options.realms()) {
      if (orgs.size() < size) {
        Progress.say("filling to " + size + " organizations in realm " + SHARED_REALM);
      }
      while (orgs.size() < size) {
        long started = System.nanoTime();
        orgs.add(organization(slug("o", orgs.size() + 1)));
        report.orgFill.add(new double[] {orgs.size(), Sampling.secondsSince(started)});
      }
      report.load(size + " organizations");
      Progress.say("at " + size + " organizations: setup, admin-call and token latency");
      Checkpoint at = new Checkpoint(size);
      report.orgCheckpoints.add(at);
      measure(at);
    }
    report.orgsFinal = orgs.size();
    report.orgRestart = kc.restart(this::coldCalls);
  }

  private void measure(Checkpoint at) {
    for (int i = 0; i < options.setupSamples(); i++) {
      long started = System.nanoTime();
      orgs.add(organization(slug("o", orgs.size() + 1)));
      at.orgSetup.add((System.nanoTime() - started) / 1e6);
    }
    at.adminRealmSa =
        sampler.sample(
            () -> {
              TenantOrg o = sampler.pick(orgs);
              return http.get(sa.get(), membersPath(o) + "?max=20").nanos();
            });
    at.endUserToken =
        sampler.sample(
            () -> {
              TenantOrg o = sampler.pick(orgs);
              return http.password(SHARED_REALM, APP, o.username(), o.password()).nanos();
            });
  }

  /** An organization, a user, the user made its member: the organization mode's tenant setup. */
  private TenantOrg organization(String alias) {
    Token token = sa.get();
    JsonObject org =
        new JsonObject()
            .put("name", alias)
            .put("alias", alias)
            .put("enabled", true)
            .put(
                "domains",
                new JsonArray().add(new JsonObject().put("name", alias + ".example.test")));
    String orgId =
        http.post(token, "/" + SHARED_REALM + "/organizations", org.encode()).createdId();
    String password = secret();
    String username = alias + "-owner";
    String userId =
        http.post(
                token,
                "/" + SHARED_REALM + "/users",
                KeycloakHttp.user(username, password).encode())
            .createdId();
    http.postNoContent(
        token, "/" + SHARED_REALM + "/organizations/" + orgId + "/members", Json.encode(userId));
    return new TenantOrg(orgId, username, password);
  }

  /** The first calls after Keycloak's restart, in ms. */
  private Map<String, Double> coldCalls() {
    TenantOrg o = sampler.pick(orgs);
    Map<String, Double> cold = new LinkedHashMap<>();
    Token t = http.clientCredentials(SHARED_REALM, PROVISIONER, provisionerSecret);
    cold.put("realm SA token", t.nanos() / 1e6);
    cold.put("GET members, realm SA", http.get(t, membersPath(o)).millis());
    cold.put(
        "end-user token (password grant)",
        http.password(SHARED_REALM, APP, o.username(), o.password()).nanos() / 1e6);
    return cold;
  }

  private static String membersPath(TenantOrg o) {
    return "/" + SHARED_REALM + "/organizations/" + o.id() + "/members";
  }
}
