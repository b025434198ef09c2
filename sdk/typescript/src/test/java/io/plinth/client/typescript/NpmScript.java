package io.plinth.client.typescript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the TypeScript SDK's npm scripts against a platform a test started: the platform's
 * URLs and keys go in the environment, npm's output to the Maven log line by line ({@code [npm]}),
 * and the test fails unless the script ends with status 0 within its time.
 */
final class NpmScript {

  private NpmScript() {}

  static void run(String script, Map<String, String> environment, Duration within)
      throws IOException, InterruptedException {
    File dir = new File(System.getProperty("plinth.typescript.dir", "."));
    ProcessBuilder npm =
        new ProcessBuilder(System.getProperty("plinth.npm", "npm"), "run", script)
            .directory(dir)
            .redirectErrorStream(true);
    npm.environment().putAll(environment);
    Process process = npm.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        System.out.println("[npm] " + line);
      }
    }
    boolean ended = process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    assertThat(ended).as("npm run %s ended within %s", script, within).isTrue();
    assertThat(process.exitValue())
        .as("exit status of npm run %s (its output is above, lines [npm])", script)
        .isZero();
  }
}
