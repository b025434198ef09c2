package io.plinth.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs a service's {@code main} in a JVM of its own, as an operator would: environment variables
 * in, exit status and output lines out, SIGTERM to stop.
 */
public final class MainProcess implements AutoCloseable {

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private final List<Thread> readers;

  private MainProcess(Process process) {
    this.process = process;
    this.readers =
        List.of(drain(process.getInputStream(), stdout), drain(process.getErrorStream(), stderr));
  }

  /**
   * Starts {@code mainClass} with this test's classpath, the given environment (added to a clean
   * one) and the production logging configuration (JSON lines).
   */
  public static MainProcess start(Class<?> mainClass, Map<String, String> environment) {
    return start(mainClass, environment, List.of());
  }

  /** The same, with command-line arguments for {@code main}. */
  public static MainProcess start(
      Class<?> mainClass, Map<String, String> environment, List<String> arguments) {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of("-cp", classpath, mainClass.getName()));
    command.addAll(arguments);
    return run(command, environment);
  }

  /**
   * Runs an executable jar ({@code java -jar}, its manifest's classpath and options), as a user of
   * it does, with the production logging configuration.
   */
  public static MainProcess startJar(
      Path jar, Map<String, String> environment, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of("-jar", jar.toString()));
    command.addAll(arguments);
    return run(command, environment);
  }

  private static MainProcess run(List<String> javaArguments, Map<String, String> environment) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-Xmx256m", "-Dlogback.configurationFile=logback.xml"));
    command.addAll(javaArguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("PLINTH_"));
    builder.environment().putAll(environment);
    try {
      return new MainProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread drain(java.io.InputStream stream, List<String> into) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                lines.lines().forEach(into::add);
              } catch (IOException e) {
                // the process ended; what was read is kept
              }
            });
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** Waits for the process to exit and returns its status. */
  public int waitForExit(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the process did not exit within " + within);
      }
      for (Thread reader : readers) {
        reader.join(5_000); // the last lines, up to end of stream
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until a line of standard output contains {@code text}. */
  public String awaitOutput(String text, Duration within) {
    return Eventually.poll(
        within,
        () -> stdout.stream().filter(line -> line.contains(text)).findFirst().orElse(null),
        line -> line != null || !process.isAlive());
  }

  /** Asks the process to stop as an orchestrator would (SIGTERM). */
  public void terminate() {
    // Through the handle: Process.destroy() also closes our ends of the pipes, and the lines the
    // process writes while it stops would be lost.
    process.toHandle().destroy();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
