package io.plinth.localpostgres;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 14 server run as a child process, for tests and local development without
 * Docker. Unlike zonky's {@code EmbeddedPostgres}, it also works as root (CI): the server then runs
 * as {@code nobody}. Connect as {@link #user()} without a password (trust auth, loopback only).
 *
 * <pre>{@code
 * try (LocalPostgres pg = LocalPostgres.builder().dataDirectory(dir).start()) {
 *   DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), "");
 * }
 * }</pre>
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);

  private static final String HOST = "127.0.0.1";
  private static final String USER = "postgres";
  private static final String WAIT_SECONDS = "60";
  private static final long WAIT_SECONDS_CRASH = 30;
  private static final int LOG_TAIL_BYTES = 4000;

  /** Our settings, rewritten on every start so port and durability follow the builder. */
  private static final String SETTINGS_FILE = "plinth.conf";

  /** Stopped when the JVM exits, so tests that forget close() leave no postgres behind. */
  private static final Set<LocalPostgres> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(LocalPostgres::stopAll, "local-postgres-shutdown"));
  }

  private final Path dataDirectory;
  private final int port;
  private final boolean durable;
  private final boolean stopOnJvmExit;
  private boolean running; // guarded by this

  private LocalPostgres(Path dataDirectory, int port, boolean durable, boolean stopOnJvmExit) {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.durable = durable;
    this.stopOnJvmExit = stopOnJvmExit;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the server (creating the cluster if the data directory holds none) and returns once it
   * accepts connections; does nothing if it is running. Also restarts it after {@link #stop()}, on
   * the same port and data, to test that services recover.
   *
   * @throws IllegalStateException if PostgreSQL does not start; the message holds the server log
   */
  public synchronized void start() {
    if (running) {
      return;
    }
    long started = System.nanoTime();
    Path logFile = dataDirectory.resolve("postgres.log");
    try {
      prepareDataDirectory();
      Path bin = PostgresBinaries.binDirectory();
      if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
        initdb(bin);
      }
      writeSettings();
      PostgresUser.Result result =
          pgCtl(bin, "-l", logFile.toString(), "-w", "-t", WAIT_SECONDS, "start");
      if (!result.ok()) {
        throw new IllegalStateException(
            "PostgreSQL did not start in "
                + dataDirectory
                + " (pg_ctl exit code "
                + result.exitCode()
                + "):\n"
                + result.output()
                + "\nLast lines of "
                + logFile
                + ":\n"
                + tail(logFile));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start PostgreSQL in " + dataDirectory, e);
    }
    running = true;
    if (stopOnJvmExit) {
      RUNNING.add(this);
    }
    log.info(
        "PostgreSQL started on {}:{} with data in {} in {} ms",
        HOST,
        port,
        dataDirectory,
        (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Stops the server (fast shutdown: open sessions are ended) and waits until it is gone. Keeps the
   * data directory. Does nothing if it is not running.
   */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      PostgresUser.Result result =
          pgCtl(PostgresBinaries.binDirectory(), "-m", "fast", "-w", "-t", WAIT_SECONDS, "stop");
      // Without postmaster.pid the server is gone anyway, e.g. after a crash.
      if (!result.ok() && Files.exists(dataDirectory.resolve("postmaster.pid"))) {
        throw new IllegalStateException(
            "PostgreSQL in " + dataDirectory + " did not stop:\n" + result.output());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stop PostgreSQL in " + dataDirectory, e);
    }
    running = false;
    RUNNING.remove(this);
    log.info("PostgreSQL on {}:{} stopped", HOST, port);
  }

  /**
   * Kills the server as a crash would ({@code kill -9} of the postmaster and every backend, as the
   * OOM killer or a container runtime does): no shutdown checkpoint, open sessions see their
   * sockets close. Returns once every process is gone. Keeps the data directory; {@link #start()}
   * then runs PostgreSQL's crash recovery, which keeps every committed transaction when the server
   * is {@linkplain Builder#durable(boolean) durable}. Does nothing if it is not running.
   */
  public synchronized void crash() {
    if (!running) {
      return;
    }
    long pid = postmasterPid();
    try {
      // Stopped first, the postmaster forks no backend between listing its children and the kill:
      // a backend left over would keep the shared memory and stop the next start.
      signal("STOP", pid);
      List<ProcessHandle> processes = new ArrayList<>();
      ProcessHandle.of(pid).ifPresent(processes::add);
      ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(processes::add));
      signal("KILL", processes.stream().map(ProcessHandle::pid).toArray(Long[]::new));
      // Polled: onExit() of a process that is not our child sleeps 300 ms and more between looks.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS_CRASH);
      while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "PostgreSQL in "
                  + dataDirectory
                  + " still runs "
                  + WAIT_SECONDS_CRASH
                  + " s after kill");
        }
        Thread.sleep(10);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot kill PostgreSQL in " + dataDirectory, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while killing PostgreSQL", e);
    }
    running = false;
    RUNNING.remove(this);
    log.info("PostgreSQL on {}:{} killed (postmaster {})", HOST, port, pid);
  }

  /** The postmaster's process id, the first line of {@code postmaster.pid}. */
  private long postmasterPid() {
    try {
      return Long.parseLong(
          Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("No postmaster.pid in running " + dataDirectory, e);
    }
  }

  /** {@code kill -SIGNAL pids}: root may signal the server that runs as nobody. */
  private static void signal(String signal, Long... pids) throws IOException {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    for (Long pid : pids) {
      command.add(String.valueOf(pid));
    }
    Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IOException("timed out: " + command);
      }
      if (kill.exitValue() != 0) {
        // A backend that exited meanwhile makes kill fail for its pid only; the rest got it.
        log.debug(
            "kill -{} {}: {}",
            signal,
            command.subList(2, command.size()),
            new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while running " + command);
    }
  }

  /** Same as {@link #stop()}, for try-with-resources. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Starts a hot standby of this running server and returns once it accepts connections: a base
   * backup of this server ({@code pg_basebackup -R}, which also writes the standby's {@code
   * standby.signal} and {@code primary_conninfo}) into {@code dataDirectory}, which must not exist
   * or be empty, then a server of its own on it, on a free port, that streams this one's WAL,
   * replays it and answers reads. Same durability as this server. pg_basebackup is not among the
   * embedded binaries: it comes from the machine's PostgreSQL client tools (version 14 or newer).
   *
   * @throws IllegalStateException if the backup or the start fails; the message says why
   */
  public LocalPostgres startStandby(Path dataDirectory) {
    Path data = dataDirectory.toAbsolutePath().normalize();
    try {
      prepareDataDirectory(data);
      List<String> backup =
          new ArrayList<>(
              List.of(
                  PostgresBinaries.tool("pg_basebackup").toString(),
                  "-h",
                  HOST,
                  "-p",
                  String.valueOf(port),
                  "-U",
                  USER,
                  "-D",
                  data.toString(),
                  "-R",
                  "-X",
                  "stream",
                  "-c",
                  "fast"));
      if (!durable) {
        backup.add("--no-sync");
      }
      PostgresUser.Result result = PostgresUser.run(backup, data);
      if (!result.ok()) {
        throw new IllegalStateException(
            "pg_basebackup of "
                + uri("postgres")
                + " into "
                + data
                + " failed (exit code "
                + result.exitCode()
                + "):\n"
                + result.output());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot back up PostgreSQL into " + data, e);
    }
    LocalPostgres standby = new LocalPostgres(data, Builder.freePort(), durable, stopOnJvmExit);
    standby.start();
    return standby;
  }

  /** The TCP port, fixed for the life of this object so restarts keep connection strings valid. */
  public int port() {
    return port;
  }

  /** Always the IPv4 loopback address: the server listens nowhere else. */
  public String host() {
    return HOST;
  }

  /** The superuser; no password is needed. */
  public String user() {
    return USER;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}, for JDBC drivers. */
  public String jdbcUrl(String database) {
    return "jdbc:" + uri(database);
  }

  /** {@code postgresql://127.0.0.1:PORT/DATABASE}, for clients taking a URI (e.g. Vert.x). */
  public String uri(String database) {
    Objects.requireNonNull(database, "database");
    return "postgresql://" + HOST + ":" + port + "/" + database;
  }

  private void prepareDataDirectory() throws IOException {
    prepareDataDirectory(dataDirectory);
  }

  private static void prepareDataDirectory(Path dataDirectory) throws IOException {
    Files.createDirectories(dataDirectory);
    PostgresUser.checkReachable(dataDirectory);
    PostgresUser.takeOwnership(dataDirectory);
    // postgres refuses a data directory others can read.
    Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
  }

  private void initdb(Path bin) throws IOException {
    PostgresUser.Result result =
        PostgresUser.run(
            List.of(
                bin.resolve("initdb").toString(),
                "-A",
                "trust",
                "-U",
                USER,
                "-E",
                "UTF8",
                "--no-locale",
                "-D",
                dataDirectory.toString()),
            dataDirectory);
    if (!result.ok()) {
      throw new IllegalStateException(
          "initdb failed in "
              + dataDirectory
              + " (exit code "
              + result.exitCode()
              + "):\n"
              + result.output());
    }
    // Included last, so our settings win over the defaults above them.
    Files.writeString(
        dataDirectory.resolve("postgresql.conf"),
        "\n# Added by LocalPostgres, which rewrites this file on every start.\n"
            + "include_if_exists = '"
            + SETTINGS_FILE
            + "'\n",
        StandardOpenOption.APPEND);
    log.info("Created PostgreSQL cluster in {}", dataDirectory);
  }

  private void writeSettings() throws IOException {
    StringBuilder settings =
        new StringBuilder("# Written by LocalPostgres on every start; edits are lost.\n")
            .append("port = ")
            .append(port)
            .append('\n')
            .append("listen_addresses = '")
            .append(HOST)
            .append("'\n")
            // No socket file: TCP only, and no need for a writable /var/run/postgresql.
            .append("unix_socket_directories = ''\n")
            .append("max_connections = 300\n");
    if (!durable) {
      // Crash safety is worthless for throw-away test data and costs much time.
      settings.append("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
    }
    Path file = dataDirectory.resolve(SETTINGS_FILE);
    Files.writeString(file, settings);
    PostgresUser.takeOwnership(file);
  }

  private PostgresUser.Result pgCtl(Path bin, String... arguments) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString()));
    command.addAll(List.of(arguments));
    return PostgresUser.run(command, dataDirectory);
  }

  private static String tail(Path file) {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      channel.position(Math.max(0, size - LOG_TAIL_BYTES));
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, LOG_TAIL_BYTES));
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // read until full
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static void stopAll() {
    for (LocalPostgres postgres : RUNNING) {
      try {
        postgres.stop();
      } catch (RuntimeException e) {
        log.warn("Could not stop PostgreSQL in {} at JVM exit", postgres.dataDirectory, e);
      }
    }
  }

  /** Collects the settings; {@link #start()} creates and starts the server. */
  public static final class Builder {
    private Path dataDirectory;
    private int port;
    private boolean durable = true;
    private boolean stopOnJvmExit = true;

    private Builder() {}

    /**
     * Required. Kept across restarts: if it already holds a cluster, initdb is skipped and the data
     * survives. As root, every parent must be open to other users (so not under /root).
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /** The TCP port; 0, the default, picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Default true. False turns off fsync, synchronous_commit and full_page_writes: much faster
     * tests, but a crash of the machine may corrupt the data.
     */
    public Builder durable(boolean durable) {
      this.durable = durable;
      return this;
    }

    /**
     * Default true: a JVM shutdown hook stops the server. An owner that must stop it in order
     * (after the services using it have drained, like the local launcher) turns this off and stops
     * it itself.
     */
    public Builder stopOnJvmExit(boolean stopOnJvmExit) {
      this.stopOnJvmExit = stopOnJvmExit;
      return this;
    }

    /**
     * Starts the server and returns once it accepts connections.
     *
     * @throws IllegalStateException if PostgreSQL does not start; the message holds the server log
     */
    public LocalPostgres start() {
      Objects.requireNonNull(dataDirectory, "dataDirectory is required");
      PostgresBinaries.system(); // fail early on Windows
      LocalPostgres postgres =
          new LocalPostgres(
              dataDirectory.toAbsolutePath().normalize(),
              port == 0 ? freePort() : port,
              durable,
              stopOnJvmExit);
      postgres.start();
      return postgres;
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
      }
    }
  }
}
