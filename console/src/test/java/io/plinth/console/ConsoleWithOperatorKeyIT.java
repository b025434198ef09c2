package io.plinth.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The console on a control plane without Keycloak: an operator signs in with an operator key, a
 * page opened without credentials asks for them and goes back, and the control plane serves the
 * real console with its strict headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleWithOperatorKeyIT {

  private Platform platform;
  private Browser browser;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    platform = new Platform(Map.of());
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void anOperatorSignsInWithAnOperatorKey() {
    browser.open(platform.url + "/");
    browser.find("#operator-key");
    assertThat(browser.find("#signin-title").getText()).contains("Sign in");
    assertThat(browser.all("#signin-keycloak")).isEmpty(); // no Keycloak here
    browser.screenshot("signin-operator-key");

    browser.type("#operator-key", "not-a-key");
    browser.click("#signin-key");
    assertThat(browser.find("#operator-key-help").getText()).contains("plinth_ok_");

    browser.type("#operator-key", ApiKeys.generate(KeyKind.OPERATOR).plaintext());
    browser.click("#signin-key");
    assertThat(browser.find(".problem .problem-code").getText()).isEqualTo("unauthorized");
    assertThat(browser.find(".problem").getText()).contains("requestId");

    browser.type("#operator-key", platform.operatorKey);
    browser.click("#signin-key");
    assertThat(browser.waitForText(".operator-name", "operator key plinth_ok_"))
        .doesNotContain(platform.operatorKey); // only its prefix is shown
    browser.waitForText("main h1", "Tenants");
    browser.find(".state.empty");
    assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
    assertThat(browser.script("return sessionStorage.getItem('plinth.operator-key')")).isNull();
    browser.screenshot("tenants-empty");
    assertThat(browser.criticalViolations("signin-and-tenants")).isEmpty();
    assertThat(browser.severeLogs()).noneMatch(line -> line.contains("Content Security Policy"));
  }

  @Test
  @Order(2)
  void aPageOpenedWithoutCredentialsAsksForThemAndGoesBack() {
    // The key was in the page's memory only: a new page load has none.
    browser.load(platform.url + "/console/#/audit");
    browser.find("#operator-key");
    assertThat(browser.driver.getCurrentUrl()).contains("#/signin?next=%2Faudit");

    browser.type("#operator-key", platform.operatorKey);
    browser.click("#keep-key");
    browser.click("#signin-key");

    browser.waitForText("main h1", "Audit log");
    assertThat(browser.driver.getCurrentUrl()).endsWith("#/audit");
    // Kept for this tab only, as asked: never in localStorage.
    assertThat(browser.script("return sessionStorage.getItem('plinth.operator-key')"))
        .isEqualTo(platform.operatorKey);
    assertThat(browser.script("return localStorage.length")).isEqualTo(0L);

    browser.click(".top .who button");
    browser.find("#operator-key");
    assertThat(browser.script("return sessionStorage.getItem('plinth.operator-key')")).isNull();
  }

  @Test
  void theControlPlaneServesTheConsoleWithStrictHeaders() throws Exception {
    HttpResponse<String> page = get("/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy)
        .startsWith("default-src 'self'")
        .containsPattern("script-src 'self' 'sha256-[A-Za-z0-9+/=]+'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");

    Matcher app = Pattern.compile("src=\"(/console/[0-9a-f]{16}/app\\.js)\"").matcher(page.body());
    assertThat(app.find()).as(page.body()).isTrue();
    HttpResponse<String> module = get(app.group(1));
    assertThat(module.statusCode()).isEqualTo(200);
    assertThat(module.headers().firstValue("Cache-Control"))
        .contains("public, max-age=31536000, immutable");

    Matcher lit =
        Pattern.compile("\"lit\":\"(/console/vendor/lit/[0-9.]+/index\\.js)\"")
            .matcher(page.body());
    assertThat(lit.find()).as(page.body()).isTrue();
    HttpResponse<String> vendor = get(lit.group(1));
    assertThat(vendor.statusCode()).isEqualTo(200);
    assertThat(vendor.headers().firstValue("Content-Type"))
        .contains("text/javascript; charset=utf-8");
    assertThat(vendor.headers().firstValue("Cache-Control"))
        .contains("public, max-age=31536000, immutable");

    assertThat(new JsonObject(get("/console/config.json").body()).getValue("keycloak")).isNull();
    assertThat(get("/").headers().firstValue("Location")).contains("/console/");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(platform.url + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
