package io.plinth.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux's /proc tells of a process; nothing (NaN, empty) when it is gone or not Linux. */
public final class ProcFs {

  private ProcFs() {}

  /** VmRSS of /proc/PID/status, in MiB. */
  public static double vmRssMib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not Linux
    }
    return Double.NaN;
  }

  /**
   * The fields of /proc/PID/stat after the command name (which may hold spaces): the first is field
   * 3 (the state), the second field 4 (the parent's process id).
   */
  public static List<String> statFields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The command line, its arguments separated by blanks. */
  public static String cmdline(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
