package io.plinth.bench.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs <a href="https://github.com/wg/wrk">wrk</a>, an HTTP load generator in a process of its own,
 * with one of the Lua scenarios under {@code src/main/resources/wrk}, and reads its report. The
 * scripts are copied to a folder of their own, because wrk loads them from files.
 */
final class Wrk {

  /** The Lua scripts, one per scenario, and the file they all load. */
  enum Script {
    BARE("bare.lua"),
    GET_BY_ID("get_by_id.lua"),
    QUERY("query.lua"),
    INSERT_ONE("insert_one.lua"),
    INSERT_BATCH("insert_batch.lua"),
    MIX("mix.lua"),
    GET_SPREAD("get_spread.lua"),
    NOISY("noisy.lua");

    private final String file;

    Script(String file) {
      this.file = file;
    }
  }

  private static final String COMMON = "common.lua";

  private final Path scripts;
  private final int threads;
  private final int connections;
  private final Map<String, String> environment;

  /** Tells each wrk process apart, so that skus inserted by different runs never collide. */
  private final AtomicLong runs = new AtomicLong();

  /**
   * @param workDir a folder for the scripts (created)
   * @param environment what the scripts read: {@code PLINTH_API_KEY}, {@code PLINTH_PATH}, {@code
   *     PLINTH_IDS_FILE}, {@code PLINTH_BATCH}
   */
  Wrk(Path workDir, int threads, int connections, Map<String, String> environment) {
    this.threads = threads;
    this.connections = connections;
    this.environment = Map.copyOf(environment);
    this.scripts = workDir;
    try {
      Files.createDirectories(workDir);
      copyScript(COMMON);
      for (Script script : Script.values()) {
        copyScript(script.file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the wrk scripts to " + workDir, e);
    }
  }

  /** Whether a {@code wrk} command is on the PATH. */
  static boolean available() {
    try {
      Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      process.waitFor(10, TimeUnit.SECONDS);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String describe() {
    return "wrk -t" + threads + " -c" + connections;
  }

  /**
   * Runs {@code wrk -tT -cC -dSs --latency -s script url} and returns its report.
   *
   * @param recordsPerRequest records each successful request carries (0 for reads)
   */
  ScenarioResult run(String name, Script script, String url, int seconds, int recordsPerRequest)
      throws IOException, InterruptedException {
    return run(name, script, url, seconds, recordsPerRequest, Map.of());
  }

  /** Like {@link #run(String, Script, String, int, int)}, with more for the script to read. */
  ScenarioResult run(
      String name,
      Script script,
      String url,
      int seconds,
      int recordsPerRequest,
      Map<String, String> moreEnvironment)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            "wrk",
            "-t" + threads,
            "-c" + connections,
            "-d" + seconds + "s",
            "--timeout",
            "60s",
            "--latency",
            "-s",
            scripts.resolve(script.file).toString(),
            url);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.putAll(environment);
    env.putAll(moreEnvironment);
    env.put("PLINTH_WRK_DIR", scripts.toString());
    env.put("PLINTH_RUN", ProcessHandle.current().pid() + "r" + runs.incrementAndGet());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("wrk did not end: " + String.join(" ", command));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "wrk exited with "
              + process.exitValue()
              + ": "
              + String.join(" ", command)
              + "\n"
              + output);
    }
    return parse(name, output, recordsPerRequest);
  }

  private static final Pattern LATENCY =
      Pattern.compile("^\\s*Latency\\s+(\\S+)\\s+\\S+\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern PERCENTILE =
      Pattern.compile("^\\s*(50|90|99)%\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern TOTAL =
      Pattern.compile("^\\s*(\\d+) requests in ([0-9.]+)(us|ms|s|m|h)", Pattern.MULTILINE);
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern NON_2XX =
      Pattern.compile("^Non-2xx responses: (\\d+)", Pattern.MULTILINE);
  private static final Pattern ERROR_SAMPLE =
      Pattern.compile("^Error sample: (.*)$", Pattern.MULTILINE);
  private static final Pattern DURATION = Pattern.compile("([0-9.]+)(us|ms|s|m|h)");

  /**
   * Reads wrk's report (with {@code --latency}) and the lines our {@code done()} adds. Errors are
   * socket errors plus responses that are not 2xx: our scripts' count, or wrk's (status >= 400)
   * when a script does not count.
   */
  static ScenarioResult parse(String name, String output, int recordsPerRequest) {
    Matcher total = find(TOTAL, output, "requests in");
    long requests = Long.parseLong(total.group(1));
    double seconds = millis(total.group(2) + total.group(3)) / 1000;
    Matcher latency = find(LATENCY, output, "Latency");
    Map<String, Double> percentiles = new HashMap<>();
    Matcher p = PERCENTILE.matcher(output);
    while (p.find()) {
      percentiles.put(p.group(1), millis(p.group(2)));
    }
    long socketErrors = 0;
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(socket.group(g));
      }
    }
    Matcher ours = NON_2XX.matcher(output);
    Matcher theirs = WRK_NON_2XX.matcher(output);
    long non2xx =
        ours.find()
            ? Long.parseLong(ours.group(1))
            : theirs.find() ? Long.parseLong(theirs.group(1)) : 0;
    List<String> samples = new ArrayList<>();
    Matcher sample = ERROR_SAMPLE.matcher(output);
    while (sample.find() && samples.size() < 3) {
      samples.add(sample.group(1));
    }
    if (socketErrors > 0) {
      samples.add(socket.group());
    }
    return new ScenarioResult(
        name,
        requests,
        Math.max(0, requests - non2xx) * recordsPerRequest,
        seconds,
        millis(latency.group(1)),
        percentiles.getOrDefault("50", Double.NaN),
        percentiles.getOrDefault("90", Double.NaN),
        percentiles.getOrDefault("99", Double.NaN),
        millis(latency.group(2)),
        non2xx + socketErrors,
        List.copyOf(samples));
  }

  /** A wrk duration such as {@code 812.00us}, {@code 1.20ms}, {@code 2.00s}, in milliseconds. */
  static double millis(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a wrk duration: " + text);
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "ms" -> value;
      case "s" -> value * 1000;
      case "m" -> value * 60_000;
      default -> value * 3_600_000;
    };
  }

  private static Matcher find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no '" + what + "' in wrk's output:\n" + output);
    }
    return m;
  }

  private void copyScript(String file) throws IOException {
    try (InputStream in = Wrk.class.getResourceAsStream("/wrk/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /wrk/" + file);
      }
      Files.copy(in, scripts.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
