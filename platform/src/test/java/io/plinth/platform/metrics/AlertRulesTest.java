package io.plinth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alert rules the chart ships ({@code helm/plinth/files/alerts/plinth-alerts.yaml}) are valid
 * and behave as their tests say: {@code promtool check rules}, then {@code promtool test rules}
 * over {@code alerts/tests/*.yaml}, where each alert fires on the series that should fire it and
 * stays quiet on normal traffic. Needs Debian's {@code promtool} (package {@code prometheus};
 * {@code .ci/run} installs it): without it the test fails rather than skip, so the rules are never
 * shipped untested.
 */
class AlertRulesTest {

  static final Path ALERTS = Path.of("..", "helm", "plinth", "files", "alerts");
  static final Path RULES = ALERTS.resolve("plinth-alerts.yaml");

  @Test
  void theRulesAreValid() throws Exception {
    Result result = promtool("check", "rules", RULES.toString());
    assertThat(result.exit()).as(result.output()).isZero();
  }

  @Test
  void everyAlertFiresWhenItShouldAndStaysQuietOtherwise() throws Exception {
    List<String> tests;
    try (Stream<Path> files = Files.list(ALERTS.resolve("tests"))) {
      tests =
          files.filter(p -> p.toString().endsWith(".yaml")).map(Path::toString).sorted().toList();
    }
    assertThat(tests).as("promtool tests in %s", ALERTS.resolve("tests")).isNotEmpty();
    List<String> command = new ArrayList<>(List.of("test", "rules"));
    command.addAll(tests);
    Result result = promtool(command.toArray(String[]::new));
    assertThat(result.exit()).as(result.output()).isZero();
  }

  /** So that a new alert cannot ship without the tests {@code promtool test rules} runs. */
  @Test
  void everyAlertHasATest() throws Exception {
    List<String> alerts =
        Files.readAllLines(RULES).stream()
            .map(String::trim)
            .filter(line -> line.startsWith("- alert:"))
            .map(line -> line.substring("- alert:".length()).trim())
            .toList();
    StringBuilder tests = new StringBuilder();
    try (Stream<Path> files = Files.list(ALERTS.resolve("tests"))) {
      for (Path file : files.toList()) {
        tests.append(Files.readString(file));
      }
    }
    assertThat(alerts).isNotEmpty();
    assertThat(alerts)
        .as("every alert has a test where it fires and one where it stays quiet")
        .allSatisfy(
            alert ->
                assertThat(tests.toString())
                    .contains("ALERTS{alertname=\"" + alert + "\",alertstate=\"firing\"}")
                    .contains("alertname: " + alert + "\n"));
  }

  record Result(int exit, String output) {}

  /** Runs promtool from the module directory; fails, with how to get it, when it is missing. */
  static Result promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "promtool is not installed: apt-get install -y prometheus (Debian), or put Prometheus's"
              + " promtool on PATH; .ci/run installs it",
          e);
    }
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("promtool did not finish within 60 s");
    }
    return new Result(
        process.exitValue(),
        String.join(" ", command) + "\n" + new String(output, StandardCharsets.UTF_8));
  }
}
