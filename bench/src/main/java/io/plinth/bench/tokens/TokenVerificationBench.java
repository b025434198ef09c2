package io.plinth.bench.tokens;

import io.plinth.bench.report.MachineInfo;
import io.plinth.bench.report.TextTable;
import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.BenchMain;
import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.DataDir;
import io.plinth.bench.run.KeycloakHttp;
import io.plinth.bench.run.PlatformHttp;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import io.plinth.localkeycloak.LocalKeycloak;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What verifying an end user's token costs the data plane: the whole platform in this JVM with the
 * launcher's own Keycloak, on a fresh data folder; one tenant on plan internal (no rate limit, so
 * only verification is measured) whose realm the control plane made, and a user of that realm
 * signed in (password grant at the tenant's app client) for a real RS256 token. Then {@link
 * VerificationCosts}: sequential requests with the publishable key alone against key and token, and
 * the verification alone in this JVM with the keys cached. Run by {@code bench/token-verification};
 * never part of {@code mvn verify}.
 */
public final class TokenVerificationBench {

  static final String USAGE =
      "usage: bench/token-verification   (no options; the platform with its own Keycloak, then"
          + " about a minute of requests)";

  private static final String SLUG = "bench-tokens";
  private static final String USER = "alice";

  /** The tenant's publishable key, what its tokens must carry, and a signed-in user's token. */
  record SignedIn(String publishableKey, String issuer, String audience, String token) {}

  private final BenchPlatform platform = new BenchPlatform("token-verification", true);
  private final PlatformHttp http = new PlatformHttp();
  private final AdminApi admin = new AdminApi(http, platform);

  private TokenVerificationBench() {}

  public static void main(String[] args) {
    BenchMain.main(
        "token-verification",
        USAGE,
        true,
        args,
        command -> {
          if (command.length > 0) {
            throw new IllegalArgumentException("unknown option " + command[0]);
          }
          return () -> new TokenVerificationBench().run();
        });
  }

  private int run() throws Exception {
    DataDir.requireAbsent(platform.dataDir());
    TextTable report = new TextTable().section("Machine").rows(MachineInfo.collect());
    VerificationCosts costs;
    try {
      Progress.say(
          "starting the platform with its own Keycloak (data in " + platform.dataDir() + ")");
      long started = System.nanoTime();
      platform.start(Map.of());
      Progress.say(String.format(Locale.ROOT, "started in %.1f s", Sampling.secondsSince(started)));
      report.row("Keycloak", LocalKeycloak.version() + " (the launcher's, kc.sh start-dev)");
      report.row("PostgreSQL", platform.postgresVersion());
      SignedIn user = signIn();
      costs = new VerificationCosts(http, platform, user);
      costs.overHttp();
      costs.verifierAlone();
    } finally {
      Progress.say("stopping the platform and deleting " + platform.dataDir());
      platform.stopAndDelete();
    }
    costs.report(report);
    System.out.print(report.render());
    System.out.flush();
    return costs.unexpectedAnswers() == 0 ? 0 : 1;
  }

  /** The tenant (its realm made with it), two collections, and its user signed in. */
  private SignedIn signIn() {
    Progress.say("creating tenant " + SLUG + " (plan internal: no rate limit) and its realm");
    JsonObject created = admin.createdTenant(SLUG, "Token verification bench", "internal");
    JsonObject identity = created.getJsonObject("identity");
    if (identity == null || identity.getString("realm") == null) {
      throw new IllegalStateException("the tenant has no realm of its own: " + identity);
    }
    createCollections(AdminApi.key(created, "secret"));
    String realm = identity.getString("realm");
    Progress.say("signing in as " + USER + " of realm " + realm);
    LocalKeycloak kc = platform.local().keycloak().orElseThrow();
    KeycloakHttp keycloak = new KeycloakHttp(kc.url());
    KeycloakHttp.Token master =
        keycloak.password("master", "admin-cli", kc.adminUser(), kc.adminPassword());
    String password = KeycloakHttp.secret();
    keycloak.post(master, "/" + realm + "/users", KeycloakHttp.user(USER, password).encode());
    KeycloakHttp.Token token =
        keycloak.password(realm, identity.getString("appClientId"), USER, password);
    return new SignedIn(
        AdminApi.key(created, "publishable"),
        identity.getString("issuer"),
        identity.getString("audience"),
        token.value());
  }

  /** Collections notes (rules owner) and posts (rules authenticated): what GET lists. */
  private void createCollections(String secretKey) {
    for (String[] collection :
        List.of(new String[] {"notes", "owner"}, new String[] {"posts", "authenticated"})) {
      JsonObject body =
          new JsonObject()
              .put("name", collection[0])
              .put(
                  "fields",
                  new JsonArray().add(new JsonObject().put("name", "text").put("type", "text")))
              .put(
                  "rules", new JsonObject().put("read", collection[1]).put("write", collection[1]));
      http.expect(
          201,
          HttpRequest.newBuilder(URI.create(platform.dataPlaneUrl() + "/v1/collections"))
              .header("apikey", secretKey)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }
  }
}
