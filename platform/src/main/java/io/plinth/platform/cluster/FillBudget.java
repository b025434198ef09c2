package io.plinth.platform.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * How many entries each group of keys (a tenant) may put into a cache from this node, so that one
 * group cannot fill a cache shared by all of them. Counted per node, at fill time, with no cluster
 * call: a group may fill at most {@code perGroup} entries from this node within any span of the
 * map's time-to-live. Every entry is gone one time-to-live after it was filled, so a group holds at
 * most {@code perGroup} live entries filled by this node, and at most {@code perGroup} times the
 * number of nodes across the cluster. Entries dropped earlier (an invalidation, eviction) are not
 * given back, so a group that writes and re-reads the same keys quickly spends more than it holds:
 * the bound errs on the safe side.
 *
 * <p>The count is kept in {@link #SLOTS} slots per time-to-live plus the current one, so a group
 * costs a few longs, and groups idle for longer than the time-to-live are dropped.
 */
public final class FillBudget {

  /** Slots the time-to-live is cut into; one more (the current) is counted. */
  static final int SLOTS = 6;

  /** Past this many groups tracked, idle ones are dropped on the next new group. */
  static final int SWEEP_ABOVE = 10_000;

  /** Every fill allowed: for caches whose keys are not a tenant's to spend. */
  public static final FillBudget UNLIMITED = new FillBudget(Integer.MAX_VALUE, Duration.ZERO);

  private final int perGroup;
  private final long slotNanos;
  private final Function<String, String> groupOf;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private FillBudget(int perGroup, Duration timeToLive) {
    this(perGroup, timeToLive, key -> "", System::nanoTime);
  }

  /**
   * @param perGroup entries a group may fill from this node per time-to-live
   * @param timeToLive the map's time-to-live: how long a filled entry can live at most
   * @param groupOf the group (tenant) a key belongs to
   * @param nanoTime the clock ({@link System#nanoTime} but in tests)
   */
  public FillBudget(
      int perGroup, Duration timeToLive, Function<String, String> groupOf, LongSupplier nanoTime) {
    if (perGroup < 0) {
      throw new IllegalArgumentException("perGroup must not be negative");
    }
    this.perGroup = perGroup;
    this.slotNanos = Math.max(1, timeToLive.toNanos() / SLOTS);
    this.groupOf = groupOf;
    this.nanoTime = nanoTime;
  }

  /** Per tenant: the group is the key up to its first '/'. */
  public static FillBudget perTenant(int perTenant, Duration timeToLive) {
    return new FillBudget(
        perTenant,
        timeToLive,
        key -> {
          int end = key.indexOf('/');
          return end < 0 ? key : key.substring(0, end);
        },
        System::nanoTime);
  }

  public int perGroup() {
    return perGroup;
  }

  /** Takes one fill from {@code key}'s group: false when the group spent its budget. */
  public boolean tryTake(String key) {
    if (perGroup == Integer.MAX_VALUE) {
      return true;
    }
    long slot = nanoTime.getAsLong() / slotNanos;
    String group = groupOf.apply(key);
    if (windows.size() >= SWEEP_ABOVE && !windows.containsKey(group)) {
      for (String idle : windows.keySet()) {
        windows.computeIfPresent(idle, (g, w) -> w.idleAt(slot) ? null : w);
      }
    }
    // Counted inside compute, so a sweep cannot drop a window between its check and this take.
    boolean[] taken = new boolean[1];
    windows.compute(
        group,
        (g, w) -> {
          Window window = w == null ? new Window() : w;
          taken[0] = window.tryTake(slot, perGroup);
          return window;
        });
    return taken[0];
  }

  /** Groups tracked now (for tests). */
  int groups() {
    return windows.size();
  }

  /** Fills per slot, in a ring of the current slot and the {@link #SLOTS} before it. */
  private static final class Window {
    private final long[] slots = new long[SLOTS + 1];
    private final long[] counts = new long[SLOTS + 1];

    // Called inside the map's compute for its group, so one caller at a time.
    boolean tryTake(long slot, int limit) {
      long spent = 0;
      for (int i = 0; i < slots.length; i++) {
        if (slot - slots[i] <= SLOTS) {
          spent += counts[i];
        }
      }
      if (spent >= limit) {
        return false;
      }
      int here = (int) Math.floorMod(slot, (long) slots.length);
      if (slots[here] != slot) {
        slots[here] = slot;
        counts[here] = 0;
      }
      counts[here]++;
      return true;
    }

    boolean idleAt(long slot) {
      for (int i = 0; i < slots.length; i++) {
        if (counts[i] > 0 && slot - slots[i] <= SLOTS) {
          return false;
        }
      }
      return true;
    }
  }
}
