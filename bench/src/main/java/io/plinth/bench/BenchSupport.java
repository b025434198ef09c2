package io.plinth.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.plinth.launcher.LauncherSettings;
import io.plinth.platform.config.Settings;
import io.plinth.provisioning.ProvisioningSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** What every benchmark does the same way: a fresh local platform, quiet logs, clean-up. */
final class BenchSupport {

  private BenchSupport() {}

  /** A data folder of its own under /tmp (as root, PostgreSQL runs as nobody and needs /tmp). */
  static Path newDataDir(String bench) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("/tmp", "plinth-bench-" + bench + "-" + stamp);
  }

  /** Launcher settings for an in-process platform: free ports, its own cluster, a known key. */
  static Map<String, String> platformSettings(Path dataDir, String operatorKey) {
    Map<String, String> settings = new HashMap<>();
    settings.put(LauncherSettings.DATA_DIR.key(), dataDir.toString());
    settings.put(LauncherSettings.CONTROL_PLANE_PORT.key(), "0");
    settings.put(LauncherSettings.DATA_PLANE_PORT.key(), "0");
    // No Keycloak: these benches measure the data plane and tenant schemas; what a tenant's
    // identity costs (a realm, an organization) is bench/identity's, and 1,000 realms would pass
    // the per-instance cap (ADR 0010).
    settings.put(LauncherSettings.KEYCLOAK.key(), "false");
    settings.put(
        Settings.CLUSTER_NAME.key(),
        "plinth-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
    settings.put(ProvisioningSettings.BOOTSTRAP_OPERATOR_KEY.key(), operatorKey);
    return settings;
  }

  /** Root at WARN, and every logger the configuration set lower, so the progress stays readable. */
  static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      for (ch.qos.logback.classic.Logger logger : logback.getLoggerList()) {
        if (logger.getLevel() != null && !logger.getLevel().isGreaterOrEqual(Level.WARN)) {
          logger.setLevel(Level.WARN);
        }
      }
    }
  }

  static void deleteRecursively(Path dir) {
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
