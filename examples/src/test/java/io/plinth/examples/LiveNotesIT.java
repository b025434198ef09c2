package io.plinth.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plinth.client.Platform;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live-notes example as its user sees it, in Debian's headless chromium against the real
 * platform (Keycloak included): sign in, add a note in the page and see it; a note the same user
 * writes elsewhere (here from Java, with the user's token) appears in the page without a reload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveNotesIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** What the static server serves of the repository: the page, and the SDK's built ESM. */
  private static final List<String> SERVED =
      List.of("/examples/live-notes/", "/sdk/typescript/dist/");

  private static final Map<String, String> TYPES =
      Map.of(
          ".html", "text/html; charset=utf-8",
          ".js", "text/javascript; charset=utf-8",
          ".css", "text/css; charset=utf-8",
          ".map", "application/json");

  private final Path repository =
      Path.of(System.getProperty("plinth.repository.dir", "..")).toAbsolutePath().normalize();

  private Platform platform;
  private HttpServer pages;
  private ChromeDriver browser;
  private Path profile;

  @BeforeAll
  void start() throws Exception {
    assertThat(repository.resolve("sdk/typescript/dist/index.js"))
        .as("the TypeScript SDK's build: run npm ci && npm run build in sdk/typescript")
        .exists();
    pages = staticServer();
    platform = Platform.withKeycloak();
    browser = chromium();
  }

  @AfterAll
  void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (pages != null) {
      pages.stop(0);
    }
    if (platform != null) {
      platform.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aSignedInUserAddsANoteAndSeesAnotherArriveLive() throws Exception {
    String origin = "http://127.0.0.1:" + pages.getAddress().getPort();
    // The page's origin is a redirect URI of the realm's client, so Keycloak answers its CORS.
    Platform.TenantKeys tenant =
        platform.newTenant(
            "enterprise",
            new JsonObject()
                .put("mode", "realm")
                .put("redirectUris", new io.vertx.core.json.JsonArray().add(origin + "/*")));
    Platform.EndUser alice = platform.newUser(tenant, "alice");
    Platform.EndUser bob = platform.newUser(tenant, "bob");
    PlinthClient api = new PlinthClient(platform.dataPlaneUrl().toString());
    Response notes =
        api.withHeader("apikey", tenant.secretKey())
            .postJson(
                "/v1/collections",
                new JsonObject()
                    .put("name", "notes")
                    .put(
                        "fields",
                        new io.vertx.core.json.JsonArray()
                            .add(new JsonObject().put("name", "text").put("type", "text")))
                    .put("rules", new JsonObject().put("read", "owner").put("write", "owner")));
    assertThat(notes.status()).as(notes.body()).isEqualTo(201);
    PlinthClient asBob =
        api.withHeader("apikey", tenant.publishableKey()).withBearer(signIn(tenant, bob));
    assertThat(asBob.postJson(NOTES, new JsonObject().put("text", "bob's secret")).status())
        .isEqualTo(201);

    browser.get(
        origin
            + "/examples/live-notes/index.html?url="
            + encode(platform.dataPlaneUrl().toString())
            + "&key="
            + encode(tenant.publishableKey()));
    type("#username", alice.username());
    type("#password", alice.password());
    browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    waitForText("#who", "alice");
    wait("the change stream is open", () -> "true".equals(attribute("body", "data-live")));

    type("#note-text", "from the page");
    browser.findElement(By.cssSelector("#add-note button[type=submit]")).click();
    waitForText("#note-list", "from the page");

    PlinthClient asAlice =
        api.withHeader("apikey", tenant.publishableKey()).withBearer(signIn(tenant, alice));
    Response written = asAlice.postJson(NOTES, new JsonObject().put("text", "from Java"));
    assertThat(written.status()).as(written.body()).isEqualTo(201);
    waitForText("#note-list", "from Java");

    List<String> shown =
        browser.findElements(By.cssSelector("#note-list li")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(shown).containsExactly("from the page", "from Java"); // never bob's, never twice
    assertThat(
            asAlice.get(NOTES + "?count=exact").json().getJsonArray("items").stream()
                .map(n -> ((JsonObject) n).getString("text")))
        .containsExactlyInAnyOrder("from the page", "from Java");
    assertThat(severeLogs()).isEmpty();
  }

  private static final String NOTES = "/v1/collections/notes/records";

  /** The user's access token, by password grant at the token endpoint the data plane names. */
  private String signIn(Platform.TenantKeys tenant, Platform.EndUser user) throws Exception {
    JsonObject identity =
        new PlinthClient(platform.dataPlaneUrl().toString())
            .withHeader("apikey", tenant.publishableKey())
            .get("/v1/identity")
            .json();
    HttpResponse<String> grant =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(identity.getString("tokenEndpoint")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&scope=openid&client_id="
                            + encode(identity.getString("clientId"))
                            + "&username="
                            + encode(user.username())
                            + "&password="
                            + encode(user.password())))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(grant.statusCode()).as("the password grant").isEqualTo(200);
    return new JsonObject(grant.body()).getString("access_token");
  }

  /** Serves {@link #SERVED} of the repository on 127.0.0.1, GET only, nothing else. */
  private HttpServer staticServer() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          Path file = repository.resolve(path.substring(1)).normalize();
          boolean served =
              "GET".equals(exchange.getRequestMethod())
                  && file.startsWith(repository)
                  && SERVED.stream().anyMatch(path::startsWith)
                  && Files.isRegularFile(file);
          try (exchange) {
            if (!served) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            String name = file.getFileName().toString();
            String type =
                TYPES.getOrDefault(
                    name.substring(Math.max(0, name.lastIndexOf('.'))), "application/octet-stream");
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
    return server;
  }

  /** Debian's chromium, headless, with its chromedriver (as the console's tests run it). */
  private ChromeDriver chromium() throws IOException {
    profile = Files.createTempDirectory("plinth-examples-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=1024,800");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new ChromeDriver(
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build(),
        options);
  }

  private WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private void type(String css, String text) {
    WebElement input =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    input.clear();
    input.sendKeys(text);
  }

  private void waitForText(String css, String text) {
    waiting()
        .withMessage(() -> css + " shows '" + text + "'; the page says: " + pageStatus())
        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
  }

  private void wait(String what, java.util.function.Supplier<Boolean> condition) {
    waiting()
        .withMessage(() -> what + "; the page says: " + pageStatus())
        .until(d -> condition.get());
  }

  private String attribute(String css, String name) {
    return browser.findElement(By.cssSelector(css)).getDomAttribute(name);
  }

  private String pageStatus() {
    return browser.findElement(By.id("status")).getText() + " " + severeLogs();
  }

  private List<String> severeLogs() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(e -> e.getMessage())
        .toList();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
