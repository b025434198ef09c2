package io.plinth.console;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by its chromedriver (nothing is downloaded): one per test
 * class, with a fresh profile. Saves screenshots under {@code target/screenshots} (a build
 * artifact) and checks pages with axe-core.
 */
final class Browser implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  final ChromeDriver driver;
  private final Path profile;
  private final WebDriverWait wait;

  Browser() {
    try {
      profile = Files.createTempDirectory("plinth-console-chromium-");
      Files.createDirectories(SCREENSHOTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
        "--window-size=1280,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
  }

  void open(String url) {
    driver.get(url);
  }

  /** A new page load of {@code url}, even when only its fragment differs from the page's. */
  void load(String url) {
    driver.get("about:blank");
    driver.get(url);
  }

  WebElement find(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  void click(String css) {
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
  }

  void type(String css, String text) {
    WebElement input = find(css);
    input.clear();
    input.sendKeys(text);
  }

  /** Waits until the element's text contains {@code text}; answers the element's text. */
  String waitForText(String css, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    return find(css).getText();
  }

  void waitUntil(String what, java.util.function.Supplier<Boolean> condition) {
    new WebDriverWait(driver, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .withMessage(what)
        .until(d -> condition.get());
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Saves the viewport as {@code target/screenshots/<name>.png}. */
  void screenshot(String name) {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    try {
      Files.copy(
          shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** axe-core's violations of impact critical on the page as it is, as readable lines. */
  List<String> criticalViolations(String page) {
    Results results = new AxeBuilder().analyze(driver);
    List<Rule> violations = results.getViolations();
    try {
      Files.writeString(
          SCREENSHOTS.resolve(page + ".axe.txt"),
          violations.stream()
              .map(
                  r ->
                      r.getImpact()
                          + " "
                          + r.getId()
                          + ": "
                          + r.getHelp()
                          + " ("
                          + r.getNodes().size()
                          + ")")
              .collect(Collectors.joining("\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return violations.stream()
        .filter(r -> "critical".equals(r.getImpact()))
        .map(
            r ->
                r.getId()
                    + ": "
                    + r.getHelp()
                    + " "
                    + r.getNodes().stream().map(n -> n.getTarget().toString()).toList())
        .toList();
  }

  /** What the page wrote to the browser's console at level SEVERE (CSP violations among them). */
  List<String> severeLogs() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
