package io.plinth.bench.dataplane;

import io.plinth.bench.report.Percentiles;
import io.plinth.localpostgres.LocalPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own ceiling on this machine: {@code pgbench} against the bench's PostgreSQL, in a
 * database of its own, select-only (what a GET by id from the database is at best) and a single-row
 * insert into a table shaped like a collection's (what an insert is at best).
 */
final class Pgbench {

  static final String DATABASE = "pgbench";

  /** Shaped like the {@code items} collection's table: same columns, constraints and indexes. */
  private static final List<String> INSERT_TABLE =
      List.of(
          "CREATE TABLE bench_insert (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), owner text,"
              + " created_at timestamptz NOT NULL DEFAULT now(),"
              + " updated_at timestamptz NOT NULL DEFAULT now(),"
              + " version bigint NOT NULL DEFAULT 1, title text NOT NULL,"
              + " price double precision, qty bigint, sku text UNIQUE)",
          "CREATE INDEX ON bench_insert (price)",
          "CREATE INDEX ON bench_insert (created_at, id)",
          "CREATE INDEX ON bench_insert (owner, id)");

  private static final String INSERT_SCRIPT =
      "INSERT INTO bench_insert (title, price, qty, sku) VALUES ('Bench item',"
          + " round((random() * 100)::numeric, 2), (random() * 1000)::int,"
          + " gen_random_uuid()::text);\n";

  private final LocalPostgres postgres;
  private final Path workDir;
  private final int clients;
  private final Consumer<String> progress;
  private final AtomicInteger runs = new AtomicInteger();

  /** The share of transactions pgbench logs: enough for a p99, little overhead. */
  static final double LOG_SAMPLING_RATE = 0.1;

  Pgbench(LocalPostgres postgres, Path workDir, int clients, Consumer<String> progress) {
    this.postgres = postgres;
    this.workDir = workDir;
    this.clients = clients;
    this.progress = progress;
  }

  static boolean available() {
    try {
      Process process =
          new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Creates the database, {@code pgbench -i -s SCALE} and the insert table. */
  void initialize(int scale) throws IOException, InterruptedException, SQLException {
    try (Connection c =
            DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + DATABASE);
    }
    run(List.of("-i", "-q", "-s", Integer.toString(scale)));
    try (Connection c =
            DriverManager.getConnection(postgres.jdbcUrl(DATABASE), postgres.user(), "");
        Statement st = c.createStatement()) {
      for (String sql : INSERT_TABLE) {
        st.execute(sql);
      }
    }
  }

  /** {@code pgbench -S}: primary-key selects on pgbench_accounts. */
  ScenarioResult selectOnly(String name, int seconds) throws IOException, InterruptedException {
    return measure(name, seconds, List.of("-S"));
  }

  /** One single-row insert per transaction into the collection-shaped table. */
  ScenarioResult insertOne(String name, int seconds) throws IOException, InterruptedException {
    Path script = workDir.resolve("insert.sql");
    Files.createDirectories(workDir);
    Files.writeString(script, INSERT_SCRIPT);
    return measure(name, seconds, List.of("-n", "-f", script.toString()));
  }

  private ScenarioResult measure(String name, int seconds, List<String> mode)
      throws IOException, InterruptedException {
    progress.accept(name + ": " + seconds + " s, " + clients + " clients");
    Path logs = Files.createDirectories(workDir.resolve("log-" + runs.incrementAndGet()));
    List<String> args = new ArrayList<>(mode);
    // A sample of the transactions goes to a log, for percentiles (the summary has an average).
    args.addAll(
        List.of(
            "-l",
            "--sampling-rate=" + LOG_SAMPLING_RATE,
            "--log-prefix=" + logs.resolve("pgbench_log")));
    args.addAll(
        List.of(
            "-c",
            Integer.toString(clients),
            "-j",
            "2",
            "-T",
            Integer.toString(seconds),
            "-P",
            "5"));
    ScenarioResult summary = parse(name, run(args), seconds);
    List<Path> files;
    try (var listed = Files.list(logs)) {
      files = listed.sorted().toList();
    }
    double[] latencies = logLatencies(files);
    if (latencies.length == 0) {
      return summary;
    }
    return new ScenarioResult(
        summary.name(),
        summary.requests(),
        summary.records(),
        summary.seconds(),
        summary.avg(),
        Percentiles.nearestRank(latencies, 0.50),
        Percentiles.nearestRank(latencies, 0.90),
        Percentiles.nearestRank(latencies, 0.99),
        latencies[latencies.length - 1],
        summary.errors(),
        summary.errorSamples());
  }

  /**
   * The latencies in milliseconds, sorted, from pgbench's per-transaction logs ({@code -l}): each
   * line is {@code client transaction latency_us script epoch_s epoch_us}; a failed transaction has
   * {@code failed} or {@code skipped} as latency and is left out.
   */
  static double[] logLatencies(List<Path> files) throws IOException {
    List<Double> out = new ArrayList<>();
    for (Path file : files) {
      try (BufferedReader lines = Files.newBufferedReader(file)) {
        String line;
        while ((line = lines.readLine()) != null) {
          String[] fields = line.split(" ");
          if (fields.length >= 3
              && !fields[2].isEmpty()
              && Character.isDigit(fields[2].charAt(0))) {
            out.add(Long.parseLong(fields[2]) / 1000.0);
          }
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  private static final Pattern TPS = Pattern.compile("^tps = ([0-9.]+)", Pattern.MULTILINE);
  private static final Pattern LATENCY =
      Pattern.compile("^latency average = ([0-9.]+) ms", Pattern.MULTILINE);
  private static final Pattern FAILED =
      Pattern.compile("^number of failed transactions: (\\d+)", Pattern.MULTILINE);

  /**
   * Reads pgbench's summary: transactions per second (without connection time) and the average
   * latency; the percentiles come from the per-transaction log ({@link #logLatencies}).
   */
  static ScenarioResult parse(String name, String output, int seconds) {
    double tps = Double.parseDouble(find(TPS, output, "tps"));
    Matcher failed = FAILED.matcher(output);
    long failures = failed.find() ? Long.parseLong(failed.group(1)) : 0;
    // Requests from the reported rate, so that req/s shows pgbench's own tps figure.
    long requests = Math.round(tps * seconds);
    return new ScenarioResult(
        name,
        requests,
        0,
        seconds,
        Double.parseDouble(find(LATENCY, output, "latency average")),
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        failures,
        List.of());
  }

  private static String find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no '" + what + "' in pgbench's output:\n" + output);
    }
    return m.group(1);
  }

  /** Runs pgbench on the bench's database; shows its progress lines, returns all its output. */
  private String run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "pgbench",
            "-h",
            postgres.host(),
            "-p",
            Integer.toString(postgres.port()),
            "-U",
            postgres.user()));
    command.addAll(args);
    command.add(DATABASE);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("progress:")) {
          progress.accept("  " + line);
        }
      }
    }
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          "pgbench failed: " + String.join(" ", command) + "\n" + output);
    }
    return output.toString();
  }
}
