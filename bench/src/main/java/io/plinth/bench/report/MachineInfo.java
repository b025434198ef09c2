package io.plinth.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The machine a benchmark ran on: cores and CPU model, memory, {@code java -version}. */
public final class MachineInfo {

  private MachineInfo() {}

  public static Map<String, String> collect() {
    Map<String, String> machine = new LinkedHashMap<>();
    String cpu =
        readLines("/proc/cpuinfo").stream()
            .filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).strip())
            .findFirst()
            .orElse("?");
    machine.put("cores (nproc)", Runtime.getRuntime().availableProcessors() + "  (" + cpu + ")");
    String memory =
        readLines("/proc/meminfo").stream()
            .filter(line -> line.startsWith("MemTotal:"))
            .map(
                line ->
                    String.format(
                        Locale.ROOT,
                        "%.1f GiB",
                        Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
            .findFirst()
            .orElse("?");
    machine.put("memory", memory);
    machine.put("java -version", javaVersion());
    return machine;
  }

  private static List<String> readLines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String javaVersion() {
    String java = ProcessHandle.current().info().command().orElse("java");
    try {
      Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return String.join(" | ", out.strip().lines().map(String::strip).toList());
    } catch (IOException e) {
      return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }
}
