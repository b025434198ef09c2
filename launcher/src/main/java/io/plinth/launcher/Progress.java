package io.plinth.launcher;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What the launcher tells the person at the terminal while it starts and stops: one short line per
 * step, never a log line (those go to the log, see {@link LocalLogging}). Safe to call from any
 * thread.
 */
public interface Progress {

  void line(String text);

  /** Tells nobody: tests and benchmarks that start the platform in-process. */
  static Progress silent() {
    return text -> {};
  }

  /** One line each on {@code out}, flushed at once. */
  static Progress to(PrintStream out) {
    return text -> {
      synchronized (out) {
        out.println(text);
        out.flush();
      }
    };
  }

  /** {@code 4.2 s} since {@code startedNanos}. */
  static String since(long startedNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
  }
}
