package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.tenantapi.metrics.PromQlNames;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestKeys;
import io.plinth.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboards and alert rules the chart ships ({@code helm/plinth/files/}) read only metrics
 * that Plinth exports: a data plane (with a reader pool, tenant tags capped at 1) and a control
 * plane are scraped after traffic of every kind the metrics count (records, queries, a 401 for a
 * made-up key, a revoked key, a refused token, a 429, an owner-scoped miss, a refused operator
 * key), the counts land under the tenant and reason the dashboards and alerts look for, and every
 * metric name in a dashboard target, variable or alert expression must be in one of the scrapes,
 * with every label its selectors match on (but {@code instance} and {@code job}, which Prometheus
 * adds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricNamesIT {

  private static final Path FILES = Path.of("..", "helm", "plinth", "files");
  private static final String NOTES = "/v1/collections/notes/records";

  /** Labels Prometheus adds when it scrapes, which no node exports itself. */
  private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job");

  private DataPlane plane;
  private final Set<String> exported = new TreeSet<>();
  private final Map<String, Set<String>> exportedLabels = new TreeMap<>();
  private String dataPlaneScrape;
  private String busySlug;

  @BeforeAll
  void trafficThenScrape() throws Exception {
    plane = new DataPlane();
    TestNodes.Node node =
        plane.anotherDataPlaneNode(
            Map.of(
                "plinth.db.reader-urls",
                plane.database.settings().get("plinth.db.url"),
                "plinth.metrics.tenant-tags",
                "1"));
    PlinthClient api = node.client();
    DataPlane.Tenant busy = plane.newTenant("free"); // 10 requests/s: a 429 is cheap
    busySlug = busy.slug();
    DataPlane.Tenant quiet = plane.newTenant();
    PlinthClient owner = api.withHeader("apikey", busy.secretKey());
    assertThat(
            owner
                .postJson(
                    "/v1/collections",
                    DataPlane.collection("notes", "title:text")
                        .put("rules", new JsonObject().put("read", "owner").put("write", "owner")))
                .status())
        .isEqualTo(201);
    PlinthClient alice =
        api.withHeader("apikey", busy.publishableKey())
            .withBearer(plane.tokens.token(busy.slug(), "alice"));
    String id = alice.postJson(NOTES, new JsonObject().put("title", "one")).json().getString("id");
    assertThat(alice.get(NOTES + "/" + id).status()).isEqualTo(200);
    assertThat(alice.get(NOTES).status()).isEqualTo(200);
    PlinthClient bob =
        api.withHeader("apikey", busy.publishableKey())
            .withBearer(plane.tokens.token(busy.slug(), "bob"));
    assertThat(bob.get(NOTES + "/" + id).status()).as("alice's note, for bob").isEqualTo(404);
    PlinthClient stranger =
        api.withHeader("apikey", busy.publishableKey())
            .withBearer(plane.tokens.token(quiet.slug(), "mallory"));
    assertThat(stranger.get(NOTES).status()).as("another tenant's token").isEqualTo(401);
    assertThat(api.withHeader("apikey", quiet.secretKey()).get("/v1/collections").status())
        .isEqualTo(200);
    String madeUp = TestKeys.withOneCharacterChanged(busy.secretKey(), 20);
    assertThat(api.withHeader("apikey", madeUp).get("/v1/collections").status()).isEqualTo(401);
    String leaked =
        plane
            .admin
            .postJson(
                "/admin/v1/tenants/" + busy.slug() + "/keys",
                new JsonObject().put("kind", "secret").put("name", "leaked"))
            .json()
            .getString("key");
    String leakedId =
        plane
            .admin
            .get("/admin/v1/tenants/" + busy.slug() + "/keys")
            .json()
            .getJsonArray("items")
            .stream()
            .map(JsonObject.class::cast)
            .filter(k -> "leaked".equals(k.getString("name")))
            .findFirst()
            .orElseThrow()
            .getString("id");
    assertThat(
            plane.admin.delete("/admin/v1/tenants/" + busy.slug() + "/keys/" + leakedId).status())
        .isEqualTo(204);
    Eventually.poll(
        Duration.ofSeconds(5),
        () -> api.withHeader("apikey", leaked).get("/v1/collections"),
        r -> r.status() == 401);
    boolean limited = false;
    for (int i = 0; i < 40 && !limited; i++) {
      limited = owner.get("/v1/collections").status() == 429;
    }
    assertThat(limited).as("a 429 within 40 requests on a plan of 10/s").isTrue();
    assertThat(plane.admin.withBearer("plinth_ok_not-a-key").get("/admin/v1/tenants").status())
        .isEqualTo(401);

    dataPlaneScrape = scrape(api);
    String controlPlaneScrape = scrape(plane.admin);
    for (String scrape : List.of(dataPlaneScrape, controlPlaneScrape)) {
      exported.addAll(names(scrape));
      labels(scrape)
          .forEach(
              (name, labels) ->
                  exportedLabels.computeIfAbsent(name, k -> new TreeSet<>()).addAll(labels));
    }
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void everyMetricADashboardOrAlertUsesIsExported() throws Exception {
    Map<String, Set<String>> used = new TreeMap<>();
    try (Stream<Path> dashboards = Files.list(FILES.resolve("dashboards"))) {
      for (Path dashboard : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (String expr : dashboardExpressions(new JsonObject(Files.readString(dashboard)))) {
          PromQlNames.of(expr)
              .forEach(
                  n ->
                      used.computeIfAbsent(n, k -> new TreeSet<>())
                          .add(dashboard.getFileName().toString()));
        }
      }
    }
    Path alerts = FILES.resolve("alerts").resolve("plinth-alerts.yaml");
    for (String expr : alertExpressions(Files.readString(alerts))) {
      PromQlNames.of(expr)
          .forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>()).add("plinth-alerts.yaml"));
    }

    assertThat(used).as("metric names used by dashboards and alerts").isNotEmpty();
    Map<String, Set<String>> missing = new TreeMap<>(used);
    missing.keySet().removeAll(exported);
    assertThat(missing)
        .as("metrics no node exports (name -> where used), of %d names exported", exported.size())
        .isEmpty();
  }

  /** What the traffic above did, counted where the dashboards and alerts look for it. */
  @Test
  void theTrafficIsCountedByTenantRouteAndReason() {
    String tenant = "tenant=\"" + busySlug + "\"";
    assertThat(
            sum(
                "plinth_tenant_requests_total",
                tenant,
                "route=\"records.write\"",
                "status=\"2xx\""))
        .isEqualTo(1);
    assertThat(
            sum("plinth_tenant_requests_total", tenant, "route=\"records.read\"", "status=\"4xx\""))
        .as("bob's 404")
        .isEqualTo(1);
    assertThat(sum("plinth_tenant_request_duration_seconds_count", tenant, "route=\"query\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum("plinth_tenant_owner_record_misses_total", tenant)).isEqualTo(1);
    assertThat(
            sum("plinth_tenant_refused_total", tenant, "reason=\"rate_limited_")) // key or tenant
        .isGreaterThanOrEqualTo(1);
    assertThat(sum("plinth_tenant_storage_quota_used", tenant)).isBetween(0.0, 1.0);
    assertThat(sum("plinth_auth_failures_total", tenant, "reason=\"token_issuer\"")).isEqualTo(1);
    assertThat(sum("plinth_auth_failures_total", tenant, "reason=\"revoked_key\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum("plinth_auth_failures_total", "tenant=\"_none\"", "reason=\"malformed_key\""))
        .isEqualTo(1);
    assertThat(sum("plinth_auth_invalid_key_sources_total", "source=\"127.0.0.0/24\""))
        .as("the malformed and the revoked key, from loopback")
        .isGreaterThanOrEqualTo(2);
    assertThat(sum("plinth_db_replica_lag_seconds", "pool_name=\"plinth-reader-0\""))
        .as("the reader is the primary itself")
        .isZero();
  }

  /** The sum of the data plane's samples of {@code name} that have all {@code labels}. */
  private double sum(String name, String... labels) {
    double total = 0;
    for (String line : dataPlaneScrape.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      String labelPart = line.substring(name.length(), line.lastIndexOf('}') + 1);
      if (java.util.Arrays.stream(labels).allMatch(labelPart::contains)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  @Test
  void everyLabelADashboardOrAlertMatchesOnIsExported() throws Exception {
    Map<String, Set<String>> unknown = new TreeMap<>();
    for (String expr : allExpressions()) {
      PromQlNames.matchedLabels(expr)
          .forEach(
              (name, labels) -> {
                for (String label : labels) {
                  if (!SCRAPE_LABELS.contains(label)
                      && !exportedLabels.getOrDefault(name, Set.of()).contains(label)) {
                    unknown.computeIfAbsent(name, k -> new TreeSet<>()).add(label);
                  }
                }
              });
    }
    assertThat(unknown).as("labels matched on that the metric does not have").isEmpty();
  }

  private static List<String> allExpressions() throws Exception {
    List<String> exprs = new ArrayList<>();
    try (Stream<Path> dashboards = Files.list(FILES.resolve("dashboards"))) {
      for (Path dashboard : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
        exprs.addAll(dashboardExpressions(new JsonObject(Files.readString(dashboard))));
      }
    }
    exprs.addAll(
        alertExpressions(Files.readString(FILES.resolve("alerts").resolve("plinth-alerts.yaml"))));
    return exprs;
  }

  @Test
  void tenantTagsStayWithinTheirCap() {
    Set<String> tenants = new TreeSet<>();
    Matcher m =
        Pattern.compile(
                "^plinth_tenant_requests_total\\{[^}]*tenant=\"([^\"]*)\"", Pattern.MULTILINE)
            .matcher(dataPlaneScrape);
    while (m.find()) {
      tenants.add(m.group(1));
    }
    tenants.remove("_none"); // requests that named no tenant
    assertThat(tenants).as("one tenant of its own (the cap), the other under _other").hasSize(2);
    assertThat(tenants).contains("_other");
  }

  private static String scrape(PlinthClient client) {
    Response metrics = client.metrics();
    assertThat(metrics.status()).isEqualTo(200);
    return metrics.body();
  }

  /** Metric names of a Prometheus text scrape: each sample line up to its labels or value. */
  static Set<String> names(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

  /** The label names of each metric in a scrape. */
  static Map<String, Set<String>> labels(String scrape) {
    Map<String, Set<String>> labels = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      int brace = line.indexOf('{');
      if (line.startsWith("#") || brace < 0) {
        continue;
      }
      Set<String> names = labels.computeIfAbsent(line.substring(0, brace), k -> new TreeSet<>());
      Matcher label = LABEL.matcher(line.substring(brace + 1, line.lastIndexOf('}')));
      while (label.find()) {
        names.add(label.group(1));
      }
    }
    return labels;
  }

  /** Every target's {@code expr} and every query variable's query, in panels and rows. */
  static java.util.List<String> dashboardExpressions(JsonObject dashboard) {
    java.util.List<String> exprs = new ArrayList<>();
    collectPanels(dashboard.getJsonArray("panels", new JsonArray()), exprs);
    JsonArray variables =
        dashboard
            .getJsonObject("templating", new JsonObject())
            .getJsonArray("list", new JsonArray());
    for (Object v : variables) {
      JsonObject variable = (JsonObject) v;
      if ("query".equals(variable.getString("type"))) {
        Object query = variable.getValue("query");
        String text = query instanceof JsonObject q ? q.getString("query") : String.valueOf(query);
        exprs.add(text);
      }
    }
    return exprs;
  }

  private static void collectPanels(JsonArray panels, java.util.List<String> exprs) {
    for (Object p : panels) {
      JsonObject panel = (JsonObject) p;
      for (Object t : panel.getJsonArray("targets", new JsonArray())) {
        String expr = ((JsonObject) t).getString("expr");
        if (expr != null) {
          exprs.add(expr);
        }
      }
      collectPanels(panel.getJsonArray("panels", new JsonArray()), exprs);
    }
  }

  /**
   * The {@code expr} of every rule: a value on its line, or a block scalar ({@code expr: |}) of the
   * lines indented deeper than it.
   */
  static java.util.List<String> alertExpressions(String rules) {
    java.util.List<String> exprs = new ArrayList<>();
    String[] lines = rules.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int at = line.indexOf("expr:");
      if (at < 0 || !line.substring(0, at).isBlank()) {
        continue;
      }
      String value = line.substring(at + "expr:".length()).trim();
      if (!value.startsWith("|") && !value.startsWith(">")) {
        exprs.add(value);
        continue;
      }
      StringBuilder block = new StringBuilder();
      while (i + 1 < lines.length && (lines[i + 1].isBlank() || indent(lines[i + 1]) > at)) {
        block.append(lines[++i]).append('\n');
      }
      exprs.add(block.toString());
    }
    return exprs;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
