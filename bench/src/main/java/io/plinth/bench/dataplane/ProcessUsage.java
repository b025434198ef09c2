package io.plinth.bench.dataplane;

import io.plinth.bench.run.ProcFs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU used by this JVM (the server, once the load generator runs in a process of its own), by its
 * child processes that ended during a measured run (the generator: wrk, pgbench) and by PostgreSQL,
 * and this JVM's resident memory at the run's end. PostgreSQL's CPU is that of the postmaster and
 * its children, read from /proc every 250 ms during the run: a backend whose client disconnects
 * (pgbench's, at its end) leaves /proc with its CPU time, and the postmaster's figure for its
 * reaped children did not reliably hold it.
 */
final class ProcessUsage implements AutoCloseable {

  /** Clock ticks per second of /proc/PID/stat; 100 on every Linux that matters here. */
  private static final double TICKS_PER_SECOND = 100;

  private static final long SAMPLE_MILLIS = 250;

  /**
   * CPU in cores over the run: the server's, the generator's (children of this JVM that ended in
   * the run) and PostgreSQL's; the server's RSS at the run's end.
   */
  record Usage(double serverCores, double generatorCores, double postgresCores, double rssMib) {}

  /** A run being measured. */
  final class Mark {
    private final long wallNanos = System.nanoTime();
    private final long serverCpuNanos = os.getProcessCpuTime();
    private final long childTicks = endedChildrenTicks();
    private final Map<Long, Long> first = postgresTicks();
    private final Map<Long, Long> last = new HashMap<>(first);
    private final ScheduledFuture<?> sampling =
        sampler.scheduleAtFixedRate(
            this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);

    private synchronized void sample() {
      last.putAll(postgresTicks());
    }

    /** Ticks used since the mark by every process seen, including those gone since. */
    private synchronized long postgresTicksSince() {
      long ticks = 0;
      for (Map.Entry<Long, Long> e : last.entrySet()) {
        ticks += e.getValue() - first.getOrDefault(e.getKey(), 0L);
      }
      return ticks;
    }
  }

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-postgres-cpu");
            t.setDaemon(true);
            return t;
          });
  private final long postmasterPid;

  /**
   * @param postmasterPid PostgreSQL's main process, or a negative number to leave PostgreSQL out
   */
  ProcessUsage(long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  Mark mark() {
    return new Mark();
  }

  Usage since(Mark start) {
    start.sampling.cancel(false);
    start.sample();
    double wall = System.nanoTime() - start.wallNanos;
    double server = (os.getProcessCpuTime() - start.serverCpuNanos) / wall;
    double generator = (endedChildrenTicks() - start.childTicks) / TICKS_PER_SECOND / (wall / 1e9);
    double postgres =
        postmasterPid < 0
            ? Double.NaN
            : start.postgresTicksSince() / TICKS_PER_SECOND / (wall / 1e9);
    return new Usage(server, generator, postgres, rssMib());
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }

  /** This JVM's VmRSS, in MiB. */
  static double rssMib() {
    return ProcFs.vmRssMib(ProcessHandle.current().pid());
  }

  /**
   * cutime + cstime of this JVM: the CPU of the child processes it has waited for, which is how an
   * ended wrk or pgbench leaves its time.
   */
  private static long endedChildrenTicks() {
    List<String> stat = ProcFs.statFields(ProcessHandle.current().pid());
    // stat.get(0) is field 3: cutime and cstime are fields 16 and 17.
    return stat.size() > 14 ? parseLong(stat.get(13)) + parseLong(stat.get(14)) : 0;
  }

  /**
   * utime + stime of the postmaster and each of its children, by process id. The children come from
   * /proc/PID/task/PID/children when the kernel has it (a few files read per sample), else from a
   * scan of /proc; the sampler runs in this JVM, so its own cost counts as the server's.
   */
  private Map<Long, Long> postgresTicks() {
    Map<Long, Long> ticks = new HashMap<>();
    if (postmasterPid < 0) {
      return ticks;
    }
    for (long pid : postgresProcesses()) {
      List<String> stat = ProcFs.statFields(pid);
      // stat.get(0) is field 3 (state): utime and stime are fields 14 and 15.
      if (stat.size() > 12) {
        ticks.put(pid, parseLong(stat.get(11)) + parseLong(stat.get(12)));
      }
    }
    return ticks;
  }

  private List<Long> postgresProcesses() {
    List<Long> pids = new java.util.ArrayList<>();
    pids.add(postmasterPid);
    Path children =
        Path.of(
            "/proc",
            Long.toString(postmasterPid),
            "task",
            Long.toString(postmasterPid),
            "children");
    try {
      for (String pid : Files.readString(children).trim().split(" ")) {
        if (!pid.isEmpty()) {
          pids.add(Long.parseLong(pid));
        }
      }
      return pids;
    } catch (IOException | RuntimeException e) {
      // no children file on this kernel: scan /proc for the postmaster's children
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String name = proc.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)) {
          long pid = Long.parseLong(name);
          List<String> stat = ProcFs.statFields(pid);
          // stat.get(1) is field 4, the parent's process id.
          if (stat.size() > 1 && parseLong(stat.get(1)) == postmasterPid) {
            pids.add(pid);
          }
        }
      }
    } catch (IOException e) {
      // /proc unreadable: PostgreSQL's figure stays at what was seen
    }
    return pids;
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
