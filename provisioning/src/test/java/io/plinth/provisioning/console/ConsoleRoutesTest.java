package io.plinth.provisioning.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.FailureHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console as the control plane serves it, from a small console under {@code console-fixture} on
 * the test classpath (the real one is the console module's, which this module never depends on):
 * the entry page rewritten and never cached, fingerprinted files and versioned WebJars cached for a
 * year, the security headers on every answer, and a 404 problem without a console.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRoutesTest {

  private static final ClassLoader LOADER = ConsoleRoutesTest.class.getClassLoader();
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private ConsoleAssets assets;
  private String withConsole;
  private String withoutConsole;

  @BeforeAll
  void start() throws Exception {
    assets = ConsoleAssets.load(LOADER, "console-fixture").orElseThrow();
    withConsole =
        serve(
            new ConsoleRoutes(
                vertx,
                Optional.of(assets),
                Optional.of(URI.create("http://id.example.test:8180")),
                LOADER));
    withoutConsole = serve(new ConsoleRoutes(vertx, Optional.empty(), Optional.empty(), LOADER));
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  private String serve(ConsoleRoutes routes) {
    Router router = Router.router(vertx);
    routes.addTo(router);
    FailureHandler failures = new FailureHandler();
    router.route().failureHandler(failures);
    router.errorHandler(404, failures.forStatus(404));
    HttpServer server =
        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + server.actualPort();
  }

  private HttpResponse<String> get(String base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRootAndTheBarePathRedirectToTheConsole() throws Exception {
    for (String path : new String[] {"/", "/console"}) {
      HttpResponse<String> r = get(withConsole, path);
      assertThat(r.statusCode()).isEqualTo(302);
      assertThat(r.headers().firstValue("Location")).contains("/console/");
    }
  }

  @Test
  void theEntryPageIsRewrittenNeverCachedAndItsImportMapIsAllowedByItsHash() throws Exception {
    HttpResponse<String> r = get(withConsole, "/console/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
    String page = r.body();
    assertThat(page)
        .contains("src=\"/console/" + assets.fingerprint() + "/app.js\"")
        .contains("href=\"/console/vendor/fixture-lib/1.2.3/style.css\"")
        .doesNotContain("{{");
    Matcher script = Pattern.compile("<script type=\"importmap\">(.*?)</script>").matcher(page);
    assertThat(script.find()).isTrue();
    JsonObject imports = new JsonObject(script.group(1)).getJsonObject("imports");
    assertThat(imports.getString("fixture"))
        .isEqualTo("/console/vendor/fixture-lib/1.2.3/index.js");
    assertThat(imports.getString("fixture/")).isEqualTo("/console/vendor/fixture-lib/1.2.3/");
    assertThat(imports.getString("other")).isEqualTo("/elsewhere.js");
    String hash =
        "sha256-"
            + Base64.getEncoder()
                .encodeToString(
                    MessageDigest.getInstance("SHA-256")
                        .digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
    String policy = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy)
        .contains("default-src 'self'")
        .contains("script-src 'self' '" + hash + "'")
        .contains("connect-src 'self' http://id.example.test:8180")
        .contains("form-action 'self' http://id.example.test:8180")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
  }

  @Test
  void fingerprintedFilesAndWebJarsAreCachedForAYear() throws Exception {
    for (String path :
        new String[] {
          "/console/" + assets.fingerprint() + "/app.js",
          "/console/" + assets.fingerprint() + "/lib/part.js",
          "/console/vendor/fixture-lib/1.2.3/index.js"
        }) {
      HttpResponse<String> r = get(withConsole, path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
      assertThat(r.headers().firstValue("Cache-Control"))
          .contains("public, max-age=31536000, immutable");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
    assertThat(get(withConsole, "/console/" + assets.fingerprint() + "/lib/part.js").body())
        .contains("export const part");
  }

  @Test
  void whatIsNotTheConsolesIsA404ProblemWithoutLongCaching() throws Exception {
    for (String path :
        new String[] {
          "/console/0123456789abcdef/app.js", // another release's fingerprint
          "/console/" + assets.fingerprint() + "/index.html",
          "/console/" + assets.fingerprint() + "/missing.js",
          "/console/vendor/fixture-lib/9.9.9/index.js", // not the version on the classpath
          "/console/vendor/other-lib/1.0.0/index.js", // not a WebJar the console uses
          "/console/vendor/fixture-lib/1.2.3/notes.bin", // not a type the console loads
          "/console/vendor/fixture-lib/1.2.3/../../../maven/org.webjars.npm/fixture-lib/pom.properties"
        }) {
      HttpResponse<String> r = get(withConsole, path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(r.headers().firstValue("Cache-Control")).isEmpty();
    }
  }

  @Test
  void theConfigNamesThePlatformRealmsConsoleClient() throws Exception {
    HttpResponse<String> r = get(withConsole, "/console/config.json");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()))
        .isEqualTo(
            new JsonObject()
                .put(
                    "keycloak",
                    new JsonObject()
                        .put("url", "http://id.example.test:8180")
                        .put("realm", "plinth")
                        .put("clientId", "plinth-console")));
  }

  @Test
  void withoutTheConsolesJarTheConsoleIsA404ProblemSayingSo() throws Exception {
    HttpResponse<String> r = get(withoutConsole, "/console/");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("console_not_installed");
    assertThat(get(withoutConsole, "/").statusCode()).isEqualTo(302);
    assertThat(get(withoutConsole, "/console/config.json").statusCode()).isEqualTo(200);
  }

  @Test
  void theRealConsoleIsNotOnThisModulesClasspath() {
    assertThat(ConsoleAssets.load(LOADER, ConsoleAssets.ROOT)).isEmpty();
  }
}
