package io.plinth.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter2;
import io.plinth.launcher.LauncherSettings.LogOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Chooses the launcher's logging at launch, before anything logs. The services run in production
 * with platform's {@code logback.xml} (JSON lines on stdout, for a log pipeline); on a developer's
 * terminal those lines would bury the launcher's progress and banner, so {@code ./plinth-local}
 * writes the same JSON lines to {@code logs/plinth.log} under its data folder, or, when asked
 * ({@code --logs}, {@code PLINTH_LOCAL_LOGS=terminal}), plain text on the terminal. Logback's
 * context is reset and configured again from one of the launcher's own files: the choice does not
 * depend on which {@code logback*.xml} the classpath holds first.
 */
final class LocalLogging {

  static final String LOG_FILE = "logs/plinth.log";

  private LocalLogging() {}

  /**
   * Configures logging for {@code output}; returns the log file, for {@link LogOutput#FILE}.
   *
   * @param dataDirectory the launcher's data folder, which holds {@value #LOG_FILE}
   */
  static Optional<Path> configure(LogOutput output, Path dataDirectory) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return Optional.empty(); // another SLF4J binding: it keeps its own configuration
    }
    Optional<Path> file = Optional.empty();
    String resource = "logback-terminal.xml";
    if (output == LogOutput.FILE) {
      Path logFile = dataDirectory.resolve(LOG_FILE);
      try {
        Files.createDirectories(logFile.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot make the log folder " + logFile.getParent(), e);
      }
      file = Optional.of(logFile);
      resource = "logback-file.xml";
    }
    URL config = Objects.requireNonNull(LocalLogging.class.getResource(resource), resource);
    context.reset();
    context.getStatusManager().clear(); // the first configuration's messages are not ours
    file.ifPresent(f -> context.putProperty("PLINTH_LOG_FILE", f.toString()));
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      // Logback has recorded what went wrong; it is printed below.
    }
    // Only errors: the console appender's warning about slow consoles is expected here.
    if (new StatusUtil(context).getHighestLevel(0) >= Status.ERROR) {
      new StatusPrinter2().print(context);
    }
    return file;
  }
}
