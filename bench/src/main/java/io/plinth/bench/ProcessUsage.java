package io.plinth.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU used by this JVM (the server, once the load generator runs in a process of its own) and by
 * PostgreSQL over a measured run, and this JVM's resident memory at its end. PostgreSQL's CPU is
 * the postmaster's and its children's, from /proc, including what exited children left to the
 * postmaster.
 */
final class ProcessUsage {

  /** Clock ticks per second of /proc/PID/stat; 100 on every Linux that matters here. */
  private static final double TICKS_PER_SECOND = 100;

  /** The server's and PostgreSQL's CPU in cores over the run, the server's RSS at its end. */
  record Usage(double serverCores, double postgresCores, double rssMib) {}

  /** Where a run started. */
  record Mark(long wallNanos, long serverCpuNanos, long postgresTicks) {}

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final long postmasterPid;

  /**
   * @param postmasterPid PostgreSQL's main process, or a negative number to leave PostgreSQL out
   */
  ProcessUsage(long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  Mark mark() {
    return new Mark(System.nanoTime(), os.getProcessCpuTime(), postgresTicks());
  }

  Usage since(Mark start) {
    double wall = System.nanoTime() - start.wallNanos();
    double server = (os.getProcessCpuTime() - start.serverCpuNanos()) / wall;
    double postgres =
        postmasterPid < 0
            ? Double.NaN
            : (postgresTicks() - start.postgresTicks()) / TICKS_PER_SECOND / (wall / 1e9);
    return new Usage(server, postgres, rssMib());
  }

  /** VmRSS of /proc/self/status, in MiB. */
  static double rssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // not Linux: no figure
    }
    return Double.NaN;
  }

  private long postgresTicks() {
    if (postmasterPid < 0) {
      return 0;
    }
    long ticks = stat(postmasterPid, true).orElse(0);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String name = proc.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit) && parent(proc) == postmasterPid) {
          ticks += stat(Long.parseLong(name), false).orElse(0);
        }
      }
    } catch (IOException e) {
      return ticks;
    }
    return ticks;
  }

  /** Fields of /proc/PID/stat after the command name, which may hold spaces. */
  private static List<String> statFields(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
  }

  private static long parent(Path proc) {
    try {
      return Long.parseLong(statFields(Long.parseLong(proc.getFileName().toString())).get(1));
    } catch (IOException | RuntimeException e) {
      return -1; // gone meanwhile
    }
  }

  /** utime + stime (fields 14, 15), with the waited-for children's (16, 17) if asked. */
  private static OptionalLong stat(long pid, boolean withChildren) {
    try {
      List<String> f = statFields(pid);
      // f.get(0) is field 3 (state)
      long ticks = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
      if (withChildren) {
        ticks += Long.parseLong(f.get(13)) + Long.parseLong(f.get(14));
      }
      return OptionalLong.of(ticks);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
