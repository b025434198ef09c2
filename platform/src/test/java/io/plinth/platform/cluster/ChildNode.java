package io.plinth.platform.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DiscoveryTestNode} running in a JVM of its own, with this JVM's class path: its output
 * is kept (for failure messages) and its latest member report read from it.
 */
final class ChildNode {

  private static final int KEPT_LINES = 200;

  final String name;
  private final Process process;
  private final ConcurrentLinkedDeque<String> output = new ConcurrentLinkedDeque<>();
  private volatile List<String> members = List.of();

  private ChildNode(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::readOutput, "child-node-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with the given JVM options; the child's environment has no PLINTH_*. */
  static ChildNode start(String name, List<String> jvmOptions, Class<?> main) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Only the settings the test passes: none inherited from the machine running the build.
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("PLINTH_") || k.startsWith("HAZELCAST_"));
    return new ChildNode(name, builder.start());
  }

  /** The members the node last reported seeing, as host:port; empty before its first report. */
  List<String> members() {
    if (!process.isAlive() && members.isEmpty()) {
      throw new AssertionError(
          "node " + name + " exited with " + process.exitValue() + ":\n" + output());
    }
    return members;
  }

  /** The node's most recent output lines. */
  String output() {
    return String.join("\n", output);
  }

  /** Closes the node's standard input (it leaves the cluster), then ends it if it lingers. */
  void stop() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void readOutput() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.addLast(line);
        if (output.size() > KEPT_LINES) {
          output.pollFirst();
        }
        if (line.startsWith(DiscoveryTestNode.MEMBERS)) {
          members =
              List.copyOf(
                  Arrays.asList(line.substring(DiscoveryTestNode.MEMBERS.length()).split(",")));
        }
      }
    } catch (IOException e) {
      output.addLast("(output unreadable: " + e + ")");
    }
  }
}
