package io.plinth.localpostgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks the PostgreSQL binaries that zonky ships on the classpath, once per machine, into {@code
 * java.io.tmpdir}: unlike root's home, any user (such as {@code nobody}) can run them there.
 */
final class PostgresBinaries {
  private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

  /** Written last, so a folder holding it is a complete tree. */
  private static final String MARKER = ".plinth-complete";

  private static final Set<PosixFilePermission> PUBLIC_DIRECTORY =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private static Path binDirectory; // guarded by PostgresBinaries.class

  private PostgresBinaries() {}

  /** The zonky name of this operating system; fails on the systems we do not support. */
  static String system() {
    String os = System.getProperty("os.name");
    if (os.startsWith("Linux")) {
      return "Linux";
    }
    if (os.startsWith("Mac")) {
      return "Darwin";
    }
    throw new IllegalStateException(
        "LocalPostgres runs PostgreSQL on Linux and macOS only, not on " + os);
  }

  /** The folder holding initdb, pg_ctl and postgres; extracts them on first use. */
  static synchronized Path binDirectory() throws IOException {
    if (binDirectory == null) {
      binDirectory = install().resolve("bin");
    }
    return binDirectory;
  }

  /** Where the machine's own PostgreSQL installs keep their binaries (Debian, Ubuntu). */
  private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");

  /**
   * A client tool the embedded archive lacks (it has only initdb, pg_ctl and postgres), e.g.
   * pg_basebackup: from the embedded folder if it is there, else the newest of Debian's {@code
   * /usr/lib/postgresql/<major>/bin}, else the PATH. Client tools work against servers of their own
   * major version or older, so the newest is the one to take.
   *
   * @throws IllegalStateException naming what to install when there is none
   */
  static Path tool(String name) throws IOException {
    Path embedded = binDirectory().resolve(name);
    if (Files.isExecutable(embedded)) {
      return embedded;
    }
    if (Files.isDirectory(DEBIAN_VERSIONS)) {
      try (var versions = Files.list(DEBIAN_VERSIONS)) {
        var newest =
            versions
                .filter(dir -> dir.getFileName().toString().matches("[0-9]+"))
                .filter(dir -> Files.isExecutable(dir.resolve("bin").resolve(name)))
                .max(
                    java.util.Comparator.comparingInt(
                        dir -> Integer.parseInt(dir.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin").resolve(name);
        }
      }
    }
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(folder.isEmpty() ? "." : folder, name);
      if (!folder.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        name
            + " is not in the embedded PostgreSQL binaries, "
            + DEBIAN_VERSIONS
            + "/<major>/bin or the PATH: install the PostgreSQL client tools, version 14 or newer"
            + " (Debian: apt-get install postgresql-client)");
  }

  private static Path install() throws IOException {
    byte[] archive;
    // zonky maps os.arch ("amd64" -> "x86_64") and picks e.g. the Alpine build itself.
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
            system(), System.getProperty("os.arch"))) {
      archive = in.readAllBytes();
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    // Named by content, so another PostgreSQL build never reuses an older tree.
    Path target = tmp.resolve("plinth-postgres-" + sha256(archive).substring(0, 16));
    if (isComplete(target)) {
      return target;
    }

    long started = System.nanoTime();
    Path staging = Files.createTempDirectory(tmp, target.getFileName() + ".tmp-");
    try {
      extract(archive, staging);
      Files.createFile(staging.resolve(MARKER));
      try {
        // Renaming a whole tree is atomic: concurrent JVMs never see half of it.
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!isComplete(target)) {
          throw e;
        }
        // Another JVM got there first; its tree is as good as ours.
      }
    } finally {
      deleteRecursively(staging);
    }
    log.info(
        "Extracted PostgreSQL binaries to {} in {} ms",
        target,
        (System.nanoTime() - started) / 1_000_000);
    return target;
  }

  private static boolean isComplete(Path folder) {
    return Files.exists(folder.resolve(MARKER)) && Files.isExecutable(folder.resolve("bin/pg_ctl"));
  }

  private static void extract(byte[] archive, Path root) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = inside(root, root.resolve(entry.getName()));
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          continue;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
          // The libraries are found through these links (libpq.so -> libpq.so.5.14).
          Path linkTarget = Path.of(entry.getLinkName());
          inside(root, path.getParent().resolve(linkTarget));
          Files.createSymbolicLink(path, linkTarget);
        } else if (entry.isLink()) {
          // A hard link names an entry extracted earlier.
          Files.copy(inside(root, root.resolve(entry.getLinkName())), path);
        } else {
          Files.copy(tar, path);
          // Keep the exec bits; readable by all so a non-root user can run the binaries.
          Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0444));
        }
      }
    }
    // createDirectories honours the umask; the tree must be usable by other users.
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(path, PUBLIC_DIRECTORY);
        }
      }
    }
  }

  /** Guards against entries such as {@code ../../etc/passwd} escaping the extraction folder. */
  private static Path inside(Path root, Path path) {
    Path normalized = path.normalize();
    if (!normalized.startsWith(root)) {
      throw new IllegalStateException(
          "PostgreSQL archive entry points outside its folder: " + path);
    }
    return normalized;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
