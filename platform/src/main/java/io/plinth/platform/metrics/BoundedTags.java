package io.plinth.platform.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The values of a tag that could take unboundedly many (tenants, client networks), held to at most
 * {@code cap} values of their own at a time; everything else is counted under {@link #OTHER}, so a
 * sum over the tag is still the whole. Who has a value of their own is elected: a newcomer gets a
 * free slot at once (a small installation sees every tenant), and each {@link #elect()} (once a
 * minute) keeps the {@code cap} values seen most since the last one, the holders winning ties, and
 * drops the rest: their meters are removed through {@code onDropped}, so the number of series in
 * the registry stays bounded however many values come and go. Counting costs one lookup in a
 * concurrent map per call and allocates nothing for a value already seen in the window; at most
 * {@code 8 × cap + 64} distinct values are counted per window, so a flood of made-up values (one
 * per source address, say) cannot grow it either.
 */
public final class BoundedTags {

  /** The value of everything without one of its own. Not a valid tenant slug or network. */
  public static final String OTHER = "_other";

  private final int cap;
  private final int counted;
  private final Consumer<String> onDropped;
  private final Map<String, LongAdder> window = new ConcurrentHashMap<>();
  private volatile Set<String> elected = Set.of();

  /**
   * @param cap most values of their own at a time; 0 puts everything under {@link #OTHER}
   * @param onDropped told of each value that lost its own (to remove its meters)
   */
  public BoundedTags(int cap, Consumer<String> onDropped) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must not be negative");
    }
    this.cap = cap;
    this.counted = 8 * cap + 64;
    this.onDropped = onDropped;
  }

  /** The tag value to count {@code value} under now, counting it for the next election. */
  public String tagFor(String value) {
    LongAdder seen = window.get(value);
    if (seen == null && window.size() < counted) {
      seen = window.computeIfAbsent(value, ignored -> new LongAdder());
    }
    if (seen != null) {
      seen.increment();
    }
    Set<String> current = elected;
    if (current.contains(value)) {
      return value;
    }
    return current.size() < cap ? claimFreeSlot(value) : OTHER;
  }

  /** The tag value {@code value} has now, without counting it. */
  public String currentTagOf(String value) {
    return elected.contains(value) ? value : OTHER;
  }

  private synchronized String claimFreeSlot(String value) {
    Set<String> current = elected;
    if (current.contains(value)) {
      return value;
    }
    if (current.size() >= cap) {
      return OTHER;
    }
    Set<String> grown = new HashSet<>(current);
    grown.add(value);
    elected = Set.copyOf(grown);
    return value;
  }

  /**
   * Keeps the {@code cap} values counted most since the last election (holders first among equals),
   * drops the others, and starts a new window.
   */
  public void elect() {
    List<String> dropped = new ArrayList<>();
    synchronized (this) {
      Set<String> holders = elected;
      Map<String, Long> counts = new java.util.HashMap<>();
      window.forEach((value, seen) -> counts.put(value, seen.sum()));
      window.clear();
      List<String> ranked =
          counts.entrySet().stream()
              .filter(e -> e.getValue() > 0)
              .sorted(
                  Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                      .reversed()
                      .thenComparing(e -> holders.contains(e.getKey()) ? 0 : 1))
              .limit(cap)
              .map(Map.Entry::getKey)
              .toList();
      Set<String> next = Set.copyOf(ranked);
      for (String holder : holders) {
        if (!next.contains(holder)) {
          dropped.add(holder);
        }
      }
      elected = next;
    }
    dropped.forEach(onDropped); // outside the lock: removing meters takes the registry's
  }

  /** The values that have their own now. */
  public Set<String> elected() {
    return elected;
  }

  public int cap() {
    return cap;
  }
}
