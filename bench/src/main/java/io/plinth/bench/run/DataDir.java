package io.plinth.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/** A bench's data folder: made fresh under /tmp for each run, deleted at its end. */
public final class DataDir {

  private DataDir() {}

  /** A data folder of its own under /tmp (as root, PostgreSQL runs as nobody and needs /tmp). */
  public static Path fresh(String bench) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("/tmp", "plinth-bench-" + bench + "-" + stamp);
  }

  /** Fails if {@code dir} exists: a run of the same second, or one that did not clean up. */
  public static void requireAbsent(Path dir) {
    if (Files.exists(dir)) {
      throw new IllegalStateException(dir + " exists already; try again in a second");
    }
  }

  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
