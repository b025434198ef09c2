package io.plinth.bench.run;

import java.util.Arrays;

/**
 * A bench's command line, read one option at a time: {@code while (args.next()) switch
 * (args.option()) ...}, each option taking its value with {@link #value} or one of the number
 * readers. Every problem is an {@link IllegalArgumentException} whose message names the option.
 */
public final class Args {

  private final String[] args;
  private int at = -1;

  public Args(String... args) {
    this.args = args.clone();
  }

  /** Whether {@code -h} or {@code --help} is anywhere on the command line. */
  public static boolean asksForHelp(String... args) {
    return Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("--help");
  }

  /** Moves to the next option; false when there is none. */
  public boolean next() {
    return ++at < args.length;
  }

  /** The current option. */
  public String option() {
    return args[at];
  }

  /** The current option's value, the word after it. */
  public String value() {
    return value("a value");
  }

  /** The current option's value; {@code what} names it when it is missing ("needs a number"). */
  public String value(String what) {
    String option = option();
    if (at + 1 >= args.length) {
      throw new IllegalArgumentException(option + " needs " + what);
    }
    return args[++at];
  }

  /** The current option's value as a whole number of at least 1. */
  public int positiveWhole() {
    String option = option();
    return positiveWhole(option, value("a number"));
  }

  /** The current option's value as a whole number of at least {@code min}. */
  public int wholeAtLeast(int min) {
    String option = option();
    String text = value("a number");
    Integer value = whole(text, min);
    if (value == null) {
      throw new IllegalArgumentException(option + ": not a whole number >= " + min + ": " + text);
    }
    return value;
  }

  public IllegalArgumentException unknown() {
    return new IllegalArgumentException("unknown option " + option());
  }

  /** {@code text}, the value of {@code option}, as a whole number from 1 to Integer.MAX_VALUE. */
  public static int positiveWhole(String option, String text) {
    Integer value = whole(text, 1);
    if (value == null) {
      throw new IllegalArgumentException(option + ": not a positive whole number: " + text);
    }
    return value;
  }

  /** {@code text}, the value of {@code option}, as a finite number above 0. */
  public static double positiveNumber(String option, String text) {
    try {
      double value = Double.parseDouble(text);
      if (value > 0 && !Double.isInfinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(option + ": not a positive number: " + text);
  }

  /** A whole number from {@code min} to Integer.MAX_VALUE, or null. */
  private static Integer whole(String text, int min) {
    try {
      long value = Long.parseLong(text);
      return value < min || value > Integer.MAX_VALUE ? null : (int) value;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
