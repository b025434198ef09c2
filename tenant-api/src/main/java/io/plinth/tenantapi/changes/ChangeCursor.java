package io.plinth.tenantapi.changes;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A position in a collection's change log: the writing transaction's id and the change's sequence
 * number, in that order. It is the SSE event id ({@code <xid>-<seq>}) that a client sends back as
 * {@code Last-Event-ID}.
 */
record ChangeCursor(long xid, long seq) implements Comparable<ChangeCursor> {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,18})-(\\d{1,18})");

  static Optional<ChangeCursor> parse(String text) {
    var match = FORMAT.matcher(text.trim());
    if (!match.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new ChangeCursor(Long.parseLong(match.group(1)), Long.parseLong(match.group(2))));
  }

  @Override
  public int compareTo(ChangeCursor other) {
    int byXid = Long.compare(xid, other.xid);
    return byXid != 0 ? byXid : Long.compare(seq, other.seq);
  }

  @Override
  public String toString() {
    return xid + "-" + seq;
  }
}
