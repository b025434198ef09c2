package io.plinth.bench.run;

/** A bench's running commentary on standard output, each line marked {@code [bench]}. */
public final class Progress {

  private Progress() {}

  public static void say(String message) {
    System.out.println("[bench] " + message);
    System.out.flush();
  }
}
