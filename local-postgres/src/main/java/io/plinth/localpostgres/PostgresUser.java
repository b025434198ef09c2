package io.plinth.localpostgres;

import com.sun.security.auth.module.UnixSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs PostgreSQL binaries as a user they accept. initdb and postgres refuse to run as root, and CI
 * runs as root, so then every binary runs as {@code nobody}, which must own the data directory.
 */
final class PostgresUser {
  static final String NOBODY = "nobody";

  /** pg_ctl waits at most 60 s itself; this only catches a hung child. */
  private static final long TIMEOUT_SECONDS = 120;

  private PostgresUser() {}

  /** Exit code and combined stdout/stderr of a finished command. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static boolean isRoot() {
    return Root.IS_ROOT;
  }

  /** Runs a command to completion, as {@code nobody} when we are root, draining its output. */
  static Result run(List<String> command, Path workDirectory) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(isRoot() ? asNobody(command) : command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true);
    // PGPORT, PGDATA, PGOPTIONS... from our environment would override what we pass.
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    Process process = builder.start();

    // Drain on another thread so a chatty child never blocks on a full pipe.
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread drain =
        new Thread(() -> copy(process.getInputStream(), output), "local-postgres-output");
    drain.setDaemon(true);
    drain.start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "Timed out after " + TIMEOUT_SECONDS + " s: " + command + "\n" + output);
      }
      drain.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while running " + command);
    }
    return new Result(process.exitValue(), output.toString(Charset.defaultCharset()));
  }

  /**
   * Gives {@code path} and everything below it to {@code nobody} when we are root; skipped when it
   * already belongs to nobody, as after the first start.
   */
  static void takeOwnership(Path path) throws IOException {
    if (!isRoot()) {
      return;
    }
    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    UserPrincipal user = lookup.lookupPrincipalByName(NOBODY);
    if (user.equals(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS))) {
      return;
    }
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(nobodyGroup());
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path each : (Iterable<Path>) paths::iterator) {
        PosixFileAttributeView view =
            Files.getFileAttributeView(
                each, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
      }
    }
  }

  /**
   * When we are root, fails unless {@code nobody} can reach {@code directory}: every parent must be
   * searchable by others (root's home, mode 700, is not).
   */
  static void checkReachable(Path directory) throws IOException {
    if (!isRoot()) {
      return;
    }
    Path real = directory.toRealPath();
    for (Path parent = real.getParent(); parent != null; parent = parent.getParent()) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(parent);
      if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException(
            "PostgreSQL runs as '"
                + NOBODY
                + "' because we are root, but "
                + parent
                + " (mode "
                + PosixFilePermissions.toString(permissions)
                + ") is closed to other users, so it cannot reach "
                + real
                + ". Pick a data directory outside "
                + parent
                + ", e.g. under /tmp.");
      }
    }
  }

  private static List<String> asNobody(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    Optional<Path> runuser = executable("runuser");
    if (runuser.isPresent()) {
      full.addAll(List.of(runuser.get().toString(), "-u", NOBODY, "--"));
    } else {
      Path setpriv =
          executable("setpriv")
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "As root, PostgreSQL must run as '"
                              + NOBODY
                              + "' via runuser or setpriv, but neither is installed"));
      full.addAll(
          List.of(
              setpriv.toString(),
              "--reuid=" + NOBODY,
              "--regid=" + nobodyGroup(),
              "--clear-groups",
              "--"));
    }
    full.addAll(command);
    return full;
  }

  /** Debian calls nobody's group "nogroup", Red Hat "nobody". */
  private static String nobodyGroup() throws IOException {
    try {
      FileSystems.getDefault()
          .getUserPrincipalLookupService()
          .lookupPrincipalByGroupName("nogroup");
      return "nogroup";
    } catch (UserPrincipalNotFoundException e) {
      return NOBODY;
    }
  }

  /** Looks in PATH and in the sbin folders, which a CI job's PATH may lack. */
  private static Optional<Path> executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    return Stream.of(path.split(":"))
        .filter(folder -> !folder.isEmpty())
        .map(folder -> Path.of(folder, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // The process is gone; what we read so far is all there is.
    }
  }

  /** Lazy, so the native UnixSystem is only touched once the OS is known to be supported. */
  private static final class Root {
    static final boolean IS_ROOT = new UnixSystem().getUid() == 0;
  }
}
