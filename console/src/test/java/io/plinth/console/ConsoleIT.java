package io.plinth.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.provisioning.identity.IdentitySettings;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.TestKeycloak;
import io.plinth.testing.TestRealms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser against the real platform (PostgreSQL, Keycloak, a control plane
 * and a data-plane node): an operator of the platform realm signs in on Keycloak's login page and
 * does an operator's work, in order, on one tenant; screenshots of every page go to {@code
 * target/screenshots}, and axe-core finds no critical violation on the main pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  /** The first operator, made with the platform realm by the control plane's settings. */
  private final String operator = "first-operator";

  private final String slug = "shop-" + UUID.randomUUID().toString().substring(0, 6);
  private Platform platform;
  private Browser browser;
  private String secretKey;
  private Operators operators;
  private Integer lifespanBefore;

  /**
   * The platform realm's access-token lifespan while the console signs in: with the console's rule
   * (refresh 30 s before expiry, at least 5 s after a token came) it refreshes 5 s after signing
   * in, and its first token has expired 10 s after.
   */
  private static final int SHORT_LIFESPAN_S = 10;

  @BeforeAll
  void start() {
    TestKeycloak.Server keycloak = TestKeycloak.server();
    platform =
        new Platform(
            Map.of(
                IdentitySettings.KEYCLOAK_URL.key(), keycloak.url(),
                IdentitySettings.ADMIN_USER.key(), keycloak.adminUser(),
                IdentitySettings.ADMIN_PASSWORD.key(), keycloak.adminPassword(),
                IdentitySettings.RETRY_MAX_DELAY.key(), "2s",
                IdentitySettings.FIRST_OPERATOR.key(), operator,
                IdentitySettings.FIRST_OPERATOR_PASSWORD.key(), TestRealms.passwordOf(operator)));
    operators = new Operators(keycloak);
    operators.allowConsoleAt(platform.url);
    // A Keycloak of this JVM gets the realm, and the operator with it, from this control plane;
    // one shared across runs (PLINTH_TEST_KEYCLOAK_URL) may hold a realm made before.
    if (!operators.exists(operator)) {
      operators.create(operator);
    }
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    restoreTokenLifespan();
    if (browser != null) {
      browser.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  private void restoreTokenLifespan() {
    if (lifespanBefore != null) {
      operators.accessTokenLifespan(lifespanBefore);
      lifespanBefore = null;
    }
  }

  private void go(String route) {
    browser.script("location.hash = arguments[0]", route);
  }

  private void noCriticalViolations(String page) {
    assertThat(browser.criticalViolations(page)).as(page).isEmpty();
  }

  @Test
  @Order(1)
  void anOperatorSignsInOnKeycloaksLoginPage() {
    browser.open(platform.url + "/");
    browser.find("#signin-keycloak");
    browser.screenshot("01-signin");
    noCriticalViolations("signin");

    browser.click("#signin-keycloak");
    browser.find("#username");
    assertThat(browser.driver.getCurrentUrl())
        .contains("/realms/plinth/protocol/openid-connect/auth")
        .contains("code_challenge_method=S256");
    browser.screenshot("02-keycloak-login");
    lifespanBefore = operators.accessTokenLifespan();
    operators.accessTokenLifespan(SHORT_LIFESPAN_S);
    browser.type("#username", operator);
    browser.type("#password", TestRealms.passwordOf(operator));
    browser.click("#kc-login");

    browser.waitForText(".operator-name", operator);
    browser.waitForText("main h1", "Tenants");
    assertThat(browser.driver.getCurrentUrl()).startsWith(platform.url + "/console/#/");
    // Tokens live in the page's memory only.
    assertThat((String) browser.script("return JSON.stringify(sessionStorage)"))
        .doesNotContain("eyJ");
    assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
  }

  @Test
  @Order(2)
  void refreshesTheAccessTokenSilentlyBeforeItExpires() {
    try {
      String first = tokenExpiresAt();
      assertThat(first).isNotEmpty();
      // A page load would forget this; a hash route change or a refresh keeps it.
      browser.script("window.plinthSamePage = true");
      browser.waitUntil("a new access token", () -> !first.equals(tokenExpiresAt()));
      assertThat(Instant.parse(tokenExpiresAt())).isAfter(Instant.parse(first));
      // The code exchange and the refresh: two calls of Keycloak's token endpoint from this page.
      assertThat(
              (Long)
                  browser.script(
                      "return performance.getEntriesByType('resource')"
                          + ".filter(e => e.name.endsWith('/protocol/openid-connect/token'))"
                          + ".length"))
          .isGreaterThanOrEqualTo(2L);

      // Once the first token has expired, the console still reads the API.
      browser.waitUntil(
          "the first access token expired", () -> Instant.now().isAfter(Instant.parse(first)));
      go("/cluster");
      browser.find("#cluster-nodes tbody tr");
      assertThat(browser.all(".problem")).isEmpty();
      assertThat(browser.script("return window.plinthSamePage")).isEqualTo(true);
      assertThat(browser.find(".operator-name").getText()).isEqualTo(operator);
    } finally {
      restoreTokenLifespan();
    }
    go("/tenants");
    browser.find("#new-tenant");
  }

  private String tokenExpiresAt() {
    return (String)
        browser.script(
            "return document.querySelector('plinth-console').dataset.tokenExpiresAt || ''");
  }

  @Test
  @Order(3)
  void createsATenantAndSeesItsKeysOnce() {
    browser.click("#new-tenant");
    browser.type("#slug", "X");
    assertThat(browser.waitForText("#slug-check", "lowercase letter")).isNotEmpty();
    browser.type("#slug", slug);
    browser.waitForText("#slug-check", "Available.");
    browser.type("#name", "Shop " + slug);
    browser.screenshot("03-create-tenant");
    noCriticalViolations("create-tenant");
    browser.click("#create");

    browser.find("#keys-once");
    List<WebElement> keys = browser.all(".key-plaintext");
    assertThat(keys).hasSize(2);
    assertThat(browser.find("#keys-once").getText()).contains("shown only once");
    assertThat(browser.all("#keys-once p-copy button")).hasSize(2);
    secretKey =
        keys.stream()
            .filter(k -> "secret".equals(k.getAttribute("data-kind")))
            .findFirst()
            .orElseThrow()
            .getText();
    assertThat(secretKey).startsWith("plinth_sk_");
    browser.waitForText("#provisioning-status", "active");
    browser.screenshot("04-tenant-keys-once");

    browser.click("#open-tenant");
    browser.waitForText("#tenant-status", "active");
    assertThat(browser.all(".key-plaintext")).isEmpty(); // never shown again
    assertThat(browser.find("#identity").getText()).contains("plinth-" + slug);
    browser.find("#usage-rows");
    browser.screenshot("05-tenant");
    noCriticalViolations("tenant");
  }

  @Test
  @Order(4)
  void aTakenSlugIsRefusedWithA409AndTheFormKeepsWhatWasTyped() {
    go("/create-tenant");
    browser.type("#slug", slug);
    browser.waitForText("#slug-check", "Taken");
    browser.type("#name", "Another shop");
    browser.click("#create");

    WebElement problem = browser.find("#create-tenant .problem");
    assertThat(browser.find("#create-tenant .problem-code").getText()).isEqualTo("tenant_exists");
    assertThat(problem.getText()).contains("409").contains("requestId");
    assertThat(browser.find("#slug").getAttribute("value")).isEqualTo(slug);
    assertThat(browser.find("#name").getAttribute("value")).isEqualTo("Another shop");
    browser.screenshot("06-tenant-409");
  }

  @Test
  @Order(5)
  void createsAKeyShownOnceAndRevokesIt() {
    go("/tenants/" + slug + "/keys");
    browser.find("#keys-table");
    browser.type("#key-name", "ci-robot");
    browser.click("#create-key-button");
    assertThat(browser.find("#keys-once .key-plaintext").getText()).startsWith("plinth_pk_");
    browser.waitUntil(
        "the new key is listed", () -> !browser.all("tr[data-name='ci-robot']").isEmpty());

    browser.click("tr[data-name='ci-robot'] button.revoke");
    browser.find("dialog[open]");
    browser.screenshot("07-revoke-dialog");
    browser.click("dialog[open] button[type=submit]");
    browser.waitForText("tr[data-name='ci-robot']", "revoked");
    assertThat(browser.all("tr[data-name='ci-robot'] button.revoke")).isEmpty();
    browser.screenshot("08-keys");
    noCriticalViolations("keys");
  }

  @Test
  @Order(6)
  void suspendsAndResumesAndShowsTheApisFieldErrorsAtTheField() {
    go("/tenants/" + slug);
    browser.click("#suspend");
    browser.waitForText("#tenant-status", "suspended");
    Eventually.poll(
        Duration.ofSeconds(10),
        () -> platform.tenant(secretKey).get("/v1/collections").status(),
        status -> status == 403);
    browser.click("#resume");
    browser.waitForText("#tenant-status", "active");

    browser.type("#limit-maxRows", "-5");
    browser.click("#save-limits");
    assertThat(browser.find("#limit-maxRows-error").getText()).contains("whole number");
    assertThat(browser.find("#limit-maxRows").getAttribute("aria-invalid")).isEqualTo("true");
    browser.type("#limit-maxRows", "50000");
    browser.click("#save-limits");
    browser.waitForText("#limits-form .success", "Saved");
    assertThat(
            platform
                .admin
                .get("/admin/v1/tenants/" + slug)
                .json()
                .getJsonObject("limits")
                .getLong("maxRows"))
        .isEqualTo(50_000L);
  }

  /** Needs the control plane's data access, /admin/v1/tenants/{slug}/data/… (console-api). */
  @Test
  @Order(7)
  void browsesAndEditsARecordAndMeetsA412() {
    PlinthClient tenant = platform.tenant(secretKey);
    assertThat(
            tenant
                .postJson(
                    "/v1/collections",
                    new JsonObject()
                        .put("name", "notes")
                        .put(
                            "fields",
                            new JsonArray()
                                .add(new JsonObject().put("name", "title").put("type", "text"))
                                .add(new JsonObject().put("name", "stars").put("type", "integer"))))
                .status())
        .isEqualTo(201);
    String id =
        tenant
            .postJson(
                "/v1/collections/notes/records",
                new JsonObject().put("title", "first").put("stars", 3))
            .json()
            .getString("id");

    go("/tenants/" + slug + "/data");
    browser.click("#collections a");
    browser.find("#records-table tr[data-id='" + id + "']");
    browser.screenshot("09-data");
    noCriticalViolations("data");

    browser.click("tr[data-id='" + id + "'] .edit-record");
    browser.type("#rec-title", "edited in the console");
    browser.click("#save-record");
    browser.waitForText("#data-notice", "Saved");
    browser.waitForText("#records-table", "edited in the console");

    // Someone else changes the record while the operator edits it.
    browser.click("tr[data-id='" + id + "'] .edit-record");
    browser.find("#rec-title");
    assertThat(
            tenant
                .patch("/v1/collections/notes/records/" + id, new JsonObject().put("stars", 5))
                .status())
        .isEqualTo(200);
    browser.type("#rec-title", "mine");
    browser.click("#save-record");
    assertThat(browser.find("#record-form .problem").getText())
        .contains("changed by someone else")
        .contains("412");
    browser.screenshot("10-data-412");

    JsonArray writes =
        platform
            .admin
            .get("/admin/v1/audit?tenant=" + slug + "&action=data.write")
            .json()
            .getJsonArray("items");
    assertThat(writes.stream().map(e -> ((JsonObject) e).getString("actor")))
        .contains("user:" + operator);
  }

  @Test
  @Order(8)
  void findsThoseActionsInTheAuditLog() {
    go("/audit?tenant=" + slug);
    browser.find("#audit-table");
    browser.waitUntil(
        "the tenant's actions are listed",
        () -> {
          List<String> actions =
              browser.all("tr.audit-event").stream()
                  .map(r -> r.getAttribute("data-action"))
                  .toList();
          return actions.containsAll(
              List.of(
                  "tenant.create",
                  "key.create",
                  "key.revoke",
                  "tenant.suspend",
                  "tenant.resume",
                  "tenant.update"));
        });
    assertThat(browser.find("#audit-table").getText()).contains("user:" + operator);
    browser.click("tr.audit-event button.link");
    assertThat(browser.find(".event-details").getText()).contains("requestId");
    browser.screenshot("11-audit");
    noCriticalViolations("audit");
  }

  /** Needs the audit log's actor, action and outcome filters (console-api). */
  @Test
  @Order(9)
  void filtersTheAuditLogByActionAndOutcome() {
    go("/audit");
    browser.type("#audit-tenant", slug);
    browser.type("#audit-action", "tenant.create");
    new Select(browser.find("#audit-outcome")).selectByValue("failure");
    browser.click("#audit-filter");
    browser.waitUntil(
        "only the refused creation is listed",
        () -> {
          List<WebElement> rows = browser.all("tr.audit-event");
          return rows.size() == 1 && "failure".equals(rows.get(0).getAttribute("data-outcome"));
        });
    assertThat(browser.find("tr.audit-event").getText()).contains("409");
  }

  @Test
  @Order(10)
  void runsAFleetMigrationAndWatchesItFinish() {
    go("/migrations");
    browser.click("#start-migration");
    browser.click("dialog[open] button[type=submit]");
    browser.find("#migration-run");
    browser.waitForText("#migration-status", "completed");
    String done = browser.find(".count-done").getText();
    assertThat(Integer.parseInt(done)).isGreaterThanOrEqualTo(1);
    assertThat(browser.find(".count-failed").getText()).isEqualTo("0");
    assertThat(browser.find(".count-pending").getText()).isEqualTo("0");
    browser.screenshot("12-migration");
    noCriticalViolations("migrations");
  }

  @Test
  @Order(11)
  void drawsUsageChartsWithTheTenantsTrafficAndShowsTheCluster() {
    sendTrafficWithErrors();
    // Counted and measured every second (Platform): wait until the series holds it all.
    Eventually.poll(
        Duration.ofSeconds(20),
        () ->
            platform
                .admin
                .get("/admin/v1/usage/series?range=1h&tenant=" + slug)
                .json()
                .getJsonArray("points"),
        points -> {
          long requests = 0;
          long errors = 0;
          for (Object point : points) {
            requests += ((JsonObject) point).getLong("requests");
            errors += ((JsonObject) point).getLong("errors");
          }
          JsonObject last = points.getJsonObject(points.size() - 1);
          return requests > 0 && errors > 0 && last.getLong("rows") != null;
        });

    go("/tenants/" + slug + "/usage");
    browser.waitUntil("five charts", () -> browser.all("#charts .chart canvas").size() == 5);
    assertThat(peak("requestsPerSecond")).isPositive();
    assertThat(peak("errorRate")).isPositive().isLessThanOrEqualTo(1.0);
    assertThat(peak("p99Ms")).isPositive();
    assertThat(browser.find(".chart[data-metric=rows] .latest").getText())
        .isNotEqualTo("no data")
        .matches("[0-9,.]+");
    assertThat(browser.find(".chart[data-metric=storageBytes] .latest").getText())
        .isNotEqualTo("no data")
        .matches("[0-9.]+ (B|KiB|MiB)");
    browser.screenshot("13-tenant-usage");
    // All five charts in one picture: the README's (docs/images/console-tenant.png).
    browser.size(1280, 940);
    try {
      browser.waitUntil(
          "five charts drawn", () -> browser.all("#charts .chart canvas").size() == 5);
      browser.screenshot("13-tenant-usage-full");
    } finally {
      browser.size(1280, 900);
    }
    noCriticalViolations("usage");

    go("/usage");
    browser.waitUntil("five charts", () -> browser.all("#charts .chart canvas").size() == 5);
    browser.waitUntil("the platform's requests", () -> peak("requestsPerSecond") > 0);
    browser.screenshot("14-usage");

    // The tenant's page measures its traffic against the quota too (the README's picture).
    go("/tenants/" + slug);
    browser.find("#usage-rows");
    browser.screenshot("14-tenant-with-usage");

    go("/cluster");
    browser.waitUntil(
        "both services' nodes", () -> browser.all("#cluster-nodes tbody tr").size() >= 2);
    assertThat(browser.find("#cluster-keycloak").getText()).contains("default");
    browser.screenshot("15-cluster");
    noCriticalViolations("cluster");
  }

  /** Reads, 404s and, under a limit of one request per second and key, 429s (errors). */
  private void sendTrafficWithErrors() {
    PlinthClient tenant = platform.tenant(secretKey);
    for (int i = 0; i < 10; i++) {
      assertThat(tenant.get("/v1/collections/notes/records").status()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(tenant.get("/v1/collections/missing/records").status()).isEqualTo(404);
    }
    JsonObject limits =
        platform.admin.get("/admin/v1/tenants/" + slug).json().getJsonObject("limits");
    assertThat(
            platform
                .admin
                .patch(
                    "/admin/v1/tenants/" + slug,
                    new JsonObject().put("limits", new JsonObject().put("ratePerKeyPerSecond", 1)))
                .status())
        .isEqualTo(200);
    try {
      Eventually.poll(
          Duration.ofSeconds(10),
          () -> tenant.get("/v1/collections/notes/records").status(),
          status -> status == 429);
    } finally {
      platform.admin.patch(
          "/admin/v1/tenants/" + slug,
          new JsonObject()
              .put(
                  "limits",
                  new JsonObject()
                      .put("ratePerKeyPerSecond", limits.getValue("ratePerKeyPerSecond"))));
    }
  }

  /** Nothing wider than the viewport (without its scroll bar): no sideways scrolling. */
  private void fitsTheWidth() {
    assertThat((Long) browser.script("return document.documentElement.scrollWidth"))
        .isLessThanOrEqualTo((Long) browser.script("return document.documentElement.clientWidth"));
  }

  /** The highest value the chart of {@code metric} shows. */
  private double peak(String metric) {
    String peak = browser.find(".chart[data-metric=" + metric + "]").getAttribute("data-peak");
    return peak == null || peak.isEmpty() ? 0 : Double.parseDouble(peak);
  }

  @Test
  @Order(12)
  void worksWithTheKeyboardAndAtAPhonesWidth() {
    go("/tenants");
    browser.find("#tenants-table");
    browser.screenshot("16-tenants");
    noCriticalViolations("tenants");
    // The skip link comes first, before the navigation, and takes the keyboard to the content.
    browser.script("document.querySelector('.top .brand').focus()");
    browser.find(".top .brand").sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
    assertThat(browser.script("return document.activeElement.textContent.trim()"))
        .isEqualTo("Skip to content");
    ((WebElement) browser.script("return document.activeElement")).sendKeys(Keys.ENTER);
    assertThat(browser.script("return document.activeElement.id")).isEqualTo("main");

    browser.size(390, 844);
    try {
      go("/tenants/" + slug);
      browser.waitForText("#tenant-status", "active");
      fitsTheWidth();
      browser.screenshot("17-tenant-390px");
      go("/tenants");
      browser.find("#tenants-table");
      fitsTheWidth();
      browser.screenshot("18-tenants-390px");
      go("/usage");
      browser.waitUntil("five charts", () -> browser.all("#charts .chart canvas").size() == 5);
      fitsTheWidth();
      browser.screenshot("19-usage-390px");
    } finally {
      browser.size(1280, 900);
    }
  }

  @Test
  @Order(13)
  void signingOutEndsTheKeycloakSession() {
    browser.click(".top .who button");
    browser.find("#signin-keycloak");
    browser.click("#signin-keycloak");
    // Keycloak asks for the password again: its session ended with the console's.
    browser.find("#username");
    assertThat(browser.driver.getCurrentUrl()).contains("/realms/plinth/");
  }
}
