package io.plinth.bench.report;

import java.util.Locale;

/** How the benches print numbers: always with a dot, never a figure for NaN. */
public final class Format {

  private Format() {}

  /** Milliseconds: two decimals below 10, one above; empty for NaN. */
  public static String ms(double ms) {
    if (Double.isNaN(ms)) {
      return "";
    }
    return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
  }

  /** {@code decimals} decimals; empty for NaN. */
  public static String fixed(double value, int decimals) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /** Seconds with two decimals and the unit, e.g. {@code 1.50 s}. */
  public static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }
}
