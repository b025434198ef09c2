package io.plinth.platform.server;

import io.plinth.platform.config.ConfigException;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one service as a process: configuration, start, and a graceful stop on SIGTERM/Ctrl-C. */
public final class PlinthMain {

  /** Exit status for a configuration error, distinct from a crash. */
  public static final int EXIT_BAD_CONFIGURATION = 2;

  private static final int EXIT_START_FAILED = 1;
  private static final Logger LOG = LoggerFactory.getLogger(PlinthMain.class);

  private PlinthMain() {}

  /** Loads configuration from the process, or prints each bad setting on one line and exits. */
  public static PlinthConfig loadOrExit(PlinthService service) {
    try {
      return PlinthConfig.load(ConfigSource.ofProcess(service.defaults(), Map.of()));
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println(service.name() + ": " + problem));
      System.exit(EXIT_BAD_CONFIGURATION);
      throw e; // not reached
    }
  }

  public static void run(PlinthService service) {
    PlinthConfig config = loadOrExit(service);
    PlinthNode node;
    try {
      node = PlinthNode.start(service, config).await();
    } catch (RuntimeException e) {
      System.err.println(service.name() + ": start-up failed: " + e.getMessage());
      System.exit(EXIT_START_FAILED);
      return;
    }
    stopOnExit(node, config);
  }

  /** Writes out buffered log lines; the last thing a stopping process does. */
  public static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.stop();
    }
  }

  /** Stops the node gracefully when the JVM is asked to exit (SIGTERM, Ctrl-C). */
  public static void stopOnExit(PlinthNode node, PlinthConfig config) {
    // The whole stop, not just its first phases: the JVM exits when this hook returns, and an
    // early exit would cut the member's graceful leave short.
    long waitMs = PlinthNode.longestStop(config.shutdownTimeout()).toMillis();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.stop().await(waitMs, TimeUnit.MILLISECONDS);
                  } catch (Exception e) {
                    LOG.warn("graceful stop did not finish in time", e);
                  }
                  flushLogs();
                },
                "plinth-shutdown"));
  }
}
