package io.plinth.localkeycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Keycloak server run as a child process with {@code kc.sh start-dev} on loopback, for tests
 * and local development without Docker. The distribution is Maven Central's {@code
 * keycloak-quarkus-dist} zip (this module depends on it, so a build downloads it), unpacked once
 * into a shared folder. Each instance keeps its own data: an H2 file in its data directory, or a
 * PostgreSQL database. A stopped instance starts again on the same port with the same data, so
 * tests can take Keycloak away and bring it back.
 *
 * <pre>{@code
 * try (LocalKeycloak kc = LocalKeycloak.builder().dataDirectory(dir).start()) {
 *   kc.url(); // http://127.0.0.1:<port>, master realm admin: kc.adminUser() / kc.adminPassword()
 * }
 * }</pre>
 */
public final class LocalKeycloak implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKeycloak.class);

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_CHARS = 6000;

  /**
   * The realm cache size every Plinth Keycloak runs with (ADR 0010): Keycloak's default of 10,000
   * entries no longer holds master {@code admin}'s roles at a few hundred realms, and each of its
   * calls then costs seconds. It is here rather than in each caller so that the launcher, the
   * tests' Keycloak and the benchmarks all run Keycloak the way the ADR says; Testcontainers'
   * container passes the same option. A caller that names the option ({@link Builder#option})
   * overrides it, e.g. {@code bench/identity} measuring Keycloak's own default.
   */
  public static final String REALM_CACHE_OPTION = "--cache-embedded-realms-max-count";

  /** {@value #REALM_CACHE_OPTION}'s value unless a caller sets its own. */
  public static final int REALM_CACHE_MAX_COUNT = 100_000;

  /** Stopped when the JVM exits, so a test that forgets close() leaves no Keycloak behind. */
  private static final Set<LocalKeycloak> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(LocalKeycloak::stopAll, "local-keycloak-shutdown"));
  }

  private final Path home;
  private final Path dataDirectory;
  private final int port;
  private final String adminUser;
  private final String adminPassword;
  private final Database database;
  private final List<String> extraOptions;
  private Process process; // guarded by this

  private LocalKeycloak(Builder b, int port) {
    this.home = b.home;
    this.dataDirectory = b.dataDirectory;
    this.port = port;
    this.adminUser = b.adminUser;
    this.adminPassword = b.adminPassword;
    this.database = b.database;
    this.extraOptions = List.copyOf(b.extraOptions);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Keycloak version this module runs (the zip's, from the parent pom). */
  public static String version() {
    try (InputStream in = LocalKeycloak.class.getResourceAsStream("keycloak.properties")) {
      Properties p = new Properties();
      p.load(Objects.requireNonNull(in, "keycloak.properties is missing"));
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where the distribution zip is: {@code PLINTH_KEYCLOAK_DIST} or {@code -Dplinth.keycloak.dist}
   * when set, else the local Maven repository ({@code -Dmaven.repo.local} or {@code
   * ~/.m2/repository}).
   */
  public static Path distributionZip() {
    String named =
        System.getProperty("plinth.keycloak.dist", System.getenv("PLINTH_KEYCLOAK_DIST"));
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    String repo =
        System.getProperty(
            "maven.repo.local",
            Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
    String v = version();
    return Path.of(
        repo, "org", "keycloak", "keycloak-quarkus-dist", v, "keycloak-quarkus-dist-" + v + ".zip");
  }

  /**
   * Starts Keycloak and returns once its master realm answers; does nothing if it is running.
   * Start-ups on one machine are serialised (a file lock), as {@code start-dev} rebuilds the shared
   * distribution's server image.
   *
   * @throws IllegalStateException if Keycloak does not start; the message holds its log's end
   */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    Path logFile = dataDirectory.resolve("keycloak.log");
    try {
      Files.createDirectories(dataDirectory);
      Path kcHome = unpacked(home);
      try (FileChannel lockFile =
              FileChannel.open(
                  home.resolve(".start.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = lockFile.lock()) {
        ProcessBuilder pb = new ProcessBuilder(command(kcHome));
        pb.directory(kcHome.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUser);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        // The password is in the environment, never on the command line (ps would show it).
        database.password().ifPresent(p -> env.put("KC_DB_PASSWORD", p));
        process = pb.start();
        RUNNING.add(this);
        awaitReady(logFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Keycloak in " + dataDirectory, e);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    log.info(
        "Keycloak {} started on {} with data in {} in {} ms",
        version(),
        url(),
        dataDirectory,
        (System.nanoTime() - started) / 1_000_000);
  }

  private List<String> command(Path kcHome) {
    List<String> cmd = new ArrayList<>();
    cmd.add(kcHome.resolve("bin").resolve("kc.sh").toString());
    cmd.add("start-dev");
    cmd.add("--http-host=" + HOST);
    cmd.add("--http-port=" + port);
    // Only used when something is exposed on it; a port of our own keeps instances apart anyway.
    cmd.add("--http-management-port=" + freePort());
    cmd.addAll(database.options(dataDirectory));
    if (extraOptions.stream().noneMatch(o -> o.startsWith(REALM_CACHE_OPTION + "="))) {
      cmd.add(realmCacheOption());
    }
    cmd.addAll(extraOptions);
    return cmd;
  }

  /** {@code --cache-embedded-realms-max-count=100000}: for a Keycloak started some other way. */
  public static String realmCacheOption() {
    return REALM_CACHE_OPTION + "=" + REALM_CACHE_MAX_COUNT;
  }

  private void awaitReady(Path logFile) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(url() + "/realms/master"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak exited with code "
                + process.exitValue()
                + " while starting; end of "
                + logFile
                + ":\n"
                + tail(logFile));
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Keycloak", e);
      }
      sleep(250);
    }
    throw new IllegalStateException(
        "Keycloak did not answer within "
            + START_TIMEOUT
            + "; end of "
            + logFile
            + ":\n"
            + tail(logFile));
  }

  /** Stops Keycloak (SIGTERM, then SIGKILL after 30 s) and keeps its data. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    process = null;
    RUNNING.remove(this);
    log.info("Keycloak on {} stopped", url());
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    stop();
  }

  /** {@code http://127.0.0.1:<port>}: realms are under {@code /realms/<name>}. */
  public String url() {
    return "http://" + HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  /** The master realm's administrator, made at first start. */
  public String adminUser() {
    return adminUser;
  }

  public String adminPassword() {
    return adminPassword;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * The unpacked distribution under {@code parent}, unpacked now if it is not there yet. Unpacks
   * into a temporary folder and renames it, so a half-unpacked copy is never used.
   */
  static Path unpacked(Path parent) throws IOException {
    Path kcHome = parent.resolve("keycloak-" + version());
    if (Files.isExecutable(kcHome.resolve("bin").resolve("kc.sh"))) {
      return kcHome;
    }
    Path zip = distributionZip();
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          "Keycloak's distribution is not at "
              + zip
              + "; build the project with Maven (it downloads"
              + " org.keycloak:keycloak-quarkus-dist:"
              + version()
              + ":zip) or set PLINTH_KEYCLOAK_DIST");
    }
    Files.createDirectories(parent);
    Path temp = Files.createTempDirectory(parent, ".unpacking-");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        // The zip holds one top folder, keycloak-<version>/; strip it.
        String name = e.getName();
        int slash = name.indexOf('/');
        if (slash < 0 || slash == name.length() - 1) {
          continue;
        }
        Path target = temp.resolve(name.substring(slash + 1)).normalize();
        if (!target.startsWith(temp)) {
          throw new IOException("zip entry outside its folder: " + name);
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    try (var scripts = Files.list(temp.resolve("bin"))) {
      scripts
          .filter(p -> p.toString().endsWith(".sh"))
          .forEach(p -> p.toFile().setExecutable(true));
    }
    try {
      Files.move(temp, kcHome, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isExecutable(kcHome.resolve("bin").resolve("kc.sh"))) {
        throw e;
      }
      deleteRecursively(temp); // another JVM won the race
    }
    return kcHome;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file);
      return text.length() <= LOG_TAIL_CHARS
          ? text
          : text.substring(text.length() - LOG_TAIL_CHARS);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stopAll() {
    for (LocalKeycloak kc : List.copyOf(RUNNING)) {
      try {
        kc.stop();
      } catch (RuntimeException e) {
        log.warn("could not stop Keycloak on {}", kc.url(), e);
      }
    }
  }

  /** Where an instance keeps its realms. */
  public sealed interface Database {
    List<String> options(Path dataDirectory);

    default java.util.Optional<String> password() {
      return java.util.Optional.empty();
    }

    /** An H2 file in the instance's data directory (Keycloak's {@code dev-file}). */
    static Database file() {
      return new DevFile();
    }

    /** A PostgreSQL database, as production runs it; the user must own it. */
    static Database postgres(String jdbcUrl, String user, String password) {
      return new Postgres(jdbcUrl, user, password);
    }
  }

  record DevFile() implements Database {
    @Override
    public List<String> options(Path dataDirectory) {
      return List.of(
          "--db=dev-file",
          "--db-url=jdbc:h2:file:"
              + dataDirectory.toAbsolutePath().resolve("h2").resolve("keycloakdb")
              + ";NON_KEYWORDS=VALUE");
    }
  }

  record Postgres(String jdbcUrl, String user, String pw) implements Database {
    @Override
    public List<String> options(Path dataDirectory) {
      return List.of("--db=postgres", "--db-url=" + jdbcUrl, "--db-username=" + user);
    }

    @Override
    public java.util.Optional<String> password() {
      return java.util.Optional.ofNullable(pw).filter(p -> !p.isEmpty());
    }
  }

  public static final class Builder {
    private Path home = Path.of(System.getProperty("user.home"), ".cache", "plinth");
    private Path dataDirectory;
    private int port;
    private String adminUser = "admin";
    private String adminPassword = randomPassword();
    private Database database = Database.file();
    private final List<String> extraOptions = new ArrayList<>();

    private Builder() {}

    /**
     * Where the distribution is unpacked, shared by instances (default {@code ~/.cache/plinth}).
     */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** The instance's own folder: its log and, with {@link Database#file()}, its realms. */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
      return this;
    }

    /** The HTTP port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The master realm's administrator, made at the first start of a fresh database. */
    public Builder admin(String user, String password) {
      this.adminUser = user;
      this.adminPassword = password;
      return this;
    }

    public Builder database(Database database) {
      this.database = database;
      return this;
    }

    /** More {@code kc.sh start-dev} options, e.g. {@code --features=...}. */
    public Builder option(String option) {
      this.extraOptions.add(option);
      return this;
    }

    /** Builds the instance without starting it. */
    public LocalKeycloak build() {
      Objects.requireNonNull(dataDirectory, "dataDirectory");
      return new LocalKeycloak(this, port == 0 ? freePort() : port);
    }

    /** Builds and starts it. */
    public LocalKeycloak start() {
      LocalKeycloak kc = build();
      kc.start();
      return kc;
    }

    private static String randomPassword() {
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }
}
