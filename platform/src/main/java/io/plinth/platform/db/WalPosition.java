package io.plinth.platform.db;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A position in PostgreSQL's write-ahead log (an LSN), written as PostgreSQL writes it ({@code
 * 16/B374D848}: the high and low 32 bits in hex). A write's position after its commit is its
 * consistency token: a replica that has replayed to it shows the write.
 */
public record WalPosition(long value) implements Comparable<WalPosition> {

  /**
   * Past every position a server can reach: a read after it goes to the writer at once (a token
   * that cannot be read asks for the writer rather than for a possibly stale replica).
   */
  public static final WalPosition LATEST = new WalPosition(-1L);

  private static final Pattern FORM = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

  /** PostgreSQL's text form, or empty when {@code text} is none (clients send what they like). */
  public static Optional<WalPosition> parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    long high = Long.parseLong(text.substring(0, slash), 16);
    long low = Long.parseLong(text.substring(slash + 1), 16);
    return Optional.of(new WalPosition(high << 32 | low));
  }

  /** Whether a server that has replayed to here shows everything up to {@code other}. */
  public boolean reached(WalPosition other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(WalPosition other) {
    return Long.compareUnsigned(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toHexString(value >>> 32).toUpperCase()
        + "/"
        + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
  }
}
