package io.plinth.bench.run;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.Settings;
import io.plinth.platform.server.PlinthMain;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * What every bench's {@code main} does: {@code --help}, the options (a problem with them: the
 * message and the usage, exit 2), quiet logs, the run (an exception: its stack trace, exit 1), then
 * exit with the run's status.
 */
public final class BenchMain {

  /** A bench ready to run: returns the process's exit status (0 when nothing failed). */
  @FunctionalInterface
  public interface Bench {
    int run() throws Exception;
  }

  /** Reads the options into a bench; a problem with them is an IllegalArgumentException. */
  @FunctionalInterface
  public interface Parser {
    Bench parse(String[] args);
  }

  private BenchMain() {}

  /**
   * Runs the bench {@code name} ("data-plane") and exits.
   *
   * @param ownPlatform the bench starts the platform on a PostgreSQL of its own, so it refuses to
   *     run with a database configured
   */
  public static void main(
      String name, String usage, boolean ownPlatform, String[] args, Parser parser) {
    if (Args.asksForHelp(args)) {
      System.out.println(usage);
      return;
    }
    Bench bench;
    try {
      bench = parser.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(name + " bench: " + e.getMessage());
      System.err.println(usage);
      System.exit(2);
      return;
    }
    if (ownPlatform && ConfigSource.ofProcess(Map.of(), Map.of()).isSet(Settings.DB_URL)) {
      System.err.println(
          name
              + " bench: runs on its own local PostgreSQL; unset PLINTH_DB_URL /"
              + " -Dplinth.db.url");
      System.exit(2);
    }
    quietLogs();
    int status;
    try {
      status = bench.run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    PlinthMain.flushLogs();
    System.exit(status);
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
}
