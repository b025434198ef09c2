package io.plinth.platform.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-through cache of PostgreSQL state in a Hazelcast map (with a near cache on every member
 * for the metadata maps, none for records, see {@link ClusterMember}). A near-cache hit is served
 * without a network hop; otherwise the entry's owner is asked, and its answer comes back to the
 * caller's context without a thread of its own ({@link ClusterFutures}). A miss is loaded from
 * PostgreSQL once per node at a time (concurrent misses share the load, unless a write came between
 * them, see {@link Load}) and stored for the whole cluster, unless the key's group spent its {@link
 * FillBudget}. {@link #invalidate} replaces the entry, and Hazelcast pushes that to every member's
 * near cache; the map's time-to-live is the backstop when an invalidation is lost.
 *
 * <p>A load that read PostgreSQL before a change committed must not put its stale value back after
 * the change's invalidation. So an invalidation leaves a tombstone, and a load only fills the entry
 * if it still holds what the load saw when it started (that tombstone): a compare-and-set done on
 * the entry's owner by {@link Fill}. A load that found the entry empty first claims it with a
 * tombstone of its own ({@link Claim}) and fills against that, because "empty" proves nothing: in a
 * map without backups, an entry whose owner died is empty again, though it may have held an
 * invalidation's tombstone.
 *
 * <p>Values travel as strings (their JSON form), so nothing depends on Java serialization. An
 * absent value is cached too, briefly, so made-up keys do not reach PostgreSQL every time.
 */
public final class ClusterCache<V> {

  /** How an absent value is stored: JSON has no bare empty string. */
  private static final String ABSENT = "";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterCache.class);

  /**
   * What an invalidation leaves, with a token of its own: the next reader loads, and loads that
   * started before it cannot fill. Each tombstone differs, or a load that saw one invalidation's
   * tombstone could still fill after the next one.
   */
  private static final String TOMBSTONE = "\u0000invalidated:";

  private final IMap<String, String> map;
  private final Vertx vertx;
  private final Function<String, Future<Optional<V>>> loader;
  private final Function<V, String> encode;
  private final Function<String, V> decode;
  private final Duration absentTtl;
  private final Map<String, Load<V>> loading = new ConcurrentHashMap<>();

  /** The cluster's members now: when one leaves or dies, the entries it owned are empty again. */
  private final Cluster cluster;

  private final FillBudget budget;

  /** Told how each load ended; null (the default) on the request path: nobody is told. */
  private volatile BiConsumer<String, LoadOutcome> loadListener;

  private final Counter hits;
  private final Counter misses;
  private final Counter bypasses;
  private final Counter overBudget;

  /**
   * @param loader reads a key's value from PostgreSQL (for {@link #get(String)})
   * @param encode a value as stored; null leaves it out of the cache (too large, say)
   * @param absentTtl how long an absent value is remembered; zero remembers none
   * @param meters where hits and misses are counted, as {@code plinth.cache.gets} by map name
   */
  public ClusterCache(
      HazelcastInstance cluster,
      String mapName,
      Vertx vertx,
      Function<String, Future<Optional<V>>> loader,
      Function<V, String> encode,
      Function<String, V> decode,
      Duration absentTtl,
      MeterRegistry meters) {
    this(cluster, mapName, vertx, loader, encode, decode, absentTtl, FillBudget.UNLIMITED, meters);
  }

  /**
   * Like the constructor above, with a budget of fills per tenant (or other group of keys): a load
   * past its group's budget is served but not stored, counted as {@code plinth.cache.over.budget}.
   */
  public ClusterCache(
      HazelcastInstance cluster,
      String mapName,
      Vertx vertx,
      Function<String, Future<Optional<V>>> loader,
      Function<V, String> encode,
      Function<String, V> decode,
      Duration absentTtl,
      FillBudget budget,
      MeterRegistry meters) {
    this.map = cluster.getMap(mapName);
    this.cluster = cluster.getCluster();
    this.vertx = vertx;
    this.loader = loader;
    this.encode = encode;
    this.decode = decode;
    this.absentTtl = absentTtl;
    this.budget = budget;
    this.hits = counter(meters, mapName, "hit");
    this.misses = counter(meters, mapName, "miss");
    this.bypasses = counter(meters, mapName, "bypass");
    this.overBudget =
        Counter.builder("plinth.cache.over.budget")
            .description("Loads not stored because their tenant spent its budget of entries")
            .tag("cache", mapName)
            .register(meters);
  }

  /** What became of a completed load's value in the cluster map. */
  public enum LoadOutcome {
    /** The entry's owner stored it. */
    STORED,
    /** The entry's owner refused it: an invalidation came after the load began. */
    REFUSED,
    /** Not stored for another reason: over budget, not cacheable, claim lost, a failure. */
    SKIPPED
  }

  /**
   * Tells {@code listener} how each load ends, once the entry's owner has answered its fill. Fills
   * are fire-and-forget on the request path (nobody waits for them), so a test that must know a
   * fill has landed awaits it here instead of guessing how long it takes.
   */
  public void whenLoaded(BiConsumer<String, LoadOutcome> listener) {
    this.loadListener = listener;
  }

  private static Counter counter(MeterRegistry meters, String mapName, String result) {
    return Counter.builder("plinth.cache.gets")
        .description(
            "Cache lookups; the hit ratio is hit / (hit + miss); bypass: the map could not be"
                + " used (split from the majority) and PostgreSQL answered")
        .tag("cache", mapName)
        .tag("result", result)
        .register(meters);
  }

  public Future<Optional<V>> get(String key) {
    return get(key, loader);
  }

  /**
   * Like {@link #get(String)}, loading a miss with {@code load} (which knows more than the key).
   */
  public Future<Optional<V>> get(String key, Function<String, Future<Optional<V>>> load) {
    Context context = vertx.getOrCreateContext();
    var pending = map.getAsync(key).toCompletableFuture();
    if (pending.isDone() && !pending.isCompletedExceptionally()) {
      // A near-cache hit completes at once: no hop to another thread, and the same text object
      // as last time, so the value decoded from it then can be reused.
      return served(key, pending.getNow(null), load, true);
    }
    // From the entry's owner (or a near cache still filling): a new text object every time.
    return ClusterFutures.onContext(pending, context)
        .compose(
            cached -> served(key, cached, load, false), failure -> bypassed(key, failure, load));
  }

  /**
   * The map cannot be used (this member is split from the majority and the map is protected, see
   * {@link ClusterMember#PROTECTED_MAPS}, or the entry's owner just died): PostgreSQL answers
   * directly, and nothing is cached, since this member cannot trust what it would cache.
   */
  private Future<Optional<V>> bypassed(
      String key, Throwable failure, Function<String, Future<Optional<V>>> load) {
    bypasses.increment();
    LOG.debug("cache {} bypassed: {}", map.getName(), failure.toString());
    return load.apply(key);
  }

  private Future<Optional<V>> served(
      String key, String cached, Function<String, Future<Optional<V>>> load, boolean nearCached) {
    if (cached == null || cached.startsWith(TOMBSTONE)) {
      misses.increment();
      return load(key, cached, load);
    }
    hits.increment();
    return Future.succeededFuture(nearCached ? decoded(key, cached) : decoded(cached));
  }

  /**
   * A load running on this node: what its reader saw in the entry, the cluster's members when it
   * started, the tombstone it claims (when its reader saw the entry empty), and what it loaded.
   */
  private record Load<V>(
      String seen, Set<Member> members, String claiming, Future<Optional<V>> loaded) {

    /**
     * Whether a reader that saw {@code entry} may take this load's result: only if no write was
     * acknowledged between this load's read of PostgreSQL and the reader's start, or the reader
     * would get an older value than a write it followed. A write's tombstone lands before its
     * answer, and every tombstone differs, so a reader that saw the tombstone this load saw
     * followed no such write. Nor did one that saw the tombstone this load claims: only this load's
     * claim puts it there, on an empty entry, and a later write would have replaced it; the load
     * reads PostgreSQL only after its claim, so it is fresh for that reader even before this node
     * hears that the claim landed. A reader that saw the entry empty followed no such write while
     * this load also saw it empty and the members did not change since: its read then came before
     * the claim landed. An entry is also empty when its owner died, though it may have held a
     * write's tombstone; such a reader loads for itself.
     */
    boolean servesReaderThatSaw(String entry, Set<Member> membersNow) {
      if (entry == null) {
        return seen == null && members.equals(membersNow);
      }
      return entry.equals(seen) || entry.equals(claiming);
    }
  }

  private Future<Optional<V>> load(
      String key, String seen, Function<String, Future<Optional<V>>> loader) {
    // Requests on several event loops may miss at once: they share one load where that gives none
    // of them an older value than it may see (check-and-register in one step).
    Set<Member> members = cluster.getMembers();
    Promise<Optional<V>> mine = Promise.promise();
    String claiming = seen == null ? TOMBSTONE + java.util.UUID.randomUUID() : null;
    Load<V> load = new Load<>(seen, members, claiming, mine.future());
    Load<V> shared =
        loading.compute(
            key,
            (k, running) ->
                running != null && running.servesReaderThatSaw(seen, members) ? running : load);
    if (shared != load) {
      return shared.loaded();
    }
    // A load over its group's budget neither claims nor fills: both would take an entry.
    boolean fills = budget.tryTake(key);
    if (!fills) {
      overBudget.increment();
    }
    Future<String> expected =
        !fills
            ? Future.succeededFuture(null)
            : seen != null ? Future.succeededFuture(seen) : claim(key, claiming);
    // PostgreSQL is read only once the claim has landed. Read earlier, it could miss a write whose
    // tombstone then died with the entry's owner, and the claim, retried on the new owner, would
    // let the old value fill.
    expected
        .compose(ignored -> loader.apply(key))
        .andThen(
            loaded -> {
              loading.remove(key, load);
              BiConsumer<String, LoadOutcome> listener = loadListener;
              if (loaded.succeeded()) {
                Optional<V> value = loaded.result();
                String stored = value.isPresent() ? encode.apply(value.get()) : ABSENT;
                boolean cacheable = value.isPresent() ? stored != null : !absentTtl.isZero();
                long ttlMillis = value.isPresent() ? -1 : absentTtl.toMillis();
                String tombstone = expected.result();
                if (cacheable && tombstone != null) {
                  // Nothing waits for the fill, so its future gets no callback (and no thread)
                  // unless a listener asked.
                  var fill = map.submitToKey(key, new Fill(tombstone, stored, ttlMillis));
                  if (listener != null) {
                    fill.whenComplete(
                        (took, failure) ->
                            listener.accept(
                                key,
                                failure != null
                                    ? LoadOutcome.SKIPPED
                                    : took ? LoadOutcome.STORED : LoadOutcome.REFUSED));
                  }
                  return;
                }
              }
              if (listener != null) {
                listener.accept(key, LoadOutcome.SKIPPED);
              }
            })
        .onComplete(mine);
    return mine.future();
  }

  /**
   * Claims an empty entry for a load with a tombstone of its own, before the load reads, so that
   * the load never fills against "empty": an entry is also empty when its owner died and the map
   * keeps no backup, and what died may have been an invalidation's tombstone. Resolves to the
   * claimed tombstone, or to null when the entry was not empty any more (an invalidation or another
   * node's fill came first) or the claim failed: the load then fills nothing.
   */
  private Future<String> claim(String key, String tombstone) {
    return ClusterFutures.onContext(
            map.submitToKey(key, new Claim(tombstone)), vertx.getOrCreateContext())
        .map(claimed -> claimed ? tombstone : null)
        .otherwise((String) null);
  }

  /**
   * Drops the entry on every member (call after the change committed); resolves when the entry's
   * owner holds the tombstone, after which no member serves the old value from the map, and near
   * caches follow as Hazelcast delivers the invalidation.
   */
  public Future<Void> invalidate(String key) {
    return invalidate(map, vertx, key);
  }

  /**
   * Drops every entry whose key starts with {@code prefix} (e.g. all records of a collection that
   * changed shape). Scans the map on every member, off the event loop: for rare changes only.
   */
  public Future<Void> invalidateAll(String prefix) {
    return vertx.executeBlocking(
        () -> {
          // A '_' in the prefix matches any one character: at worst more is dropped.
          map.removeAll(Predicates.like("__key", prefix + "%"));
          return null;
        },
        false);
  }

  /** {@link #invalidate(String)} for a node that changes the state but does not read it. */
  public static Future<Void> invalidate(
      HazelcastInstance cluster, Vertx vertx, String mapName, String key) {
    return invalidate(cluster.getMap(mapName), vertx, key);
  }

  private static Future<Void> invalidate(IMap<String, String> map, Vertx vertx, String key) {
    return ClusterFutures.onContext(
        map.setAsync(key, TOMBSTONE + java.util.UUID.randomUUID()), vertx.getOrCreateContext());
  }

  /**
   * Sets the loaded value only if the entry still holds what the loader saw; runs on the entry's
   * owner, so the check and the set are one step.
   */
  static final class Fill implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String value;
    private final long ttlMillis;

    Fill(String expected, String value, long ttlMillis) {
      this.expected = expected;
      this.value = value;
      this.ttlMillis = ttlMillis;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      if (!java.util.Objects.equals(entry.getValue(), expected)) {
        return false;
      }
      if (ttlMillis > 0 && entry instanceof ExtendedMapEntry<String, String> extended) {
        extended.setValue(value, ttlMillis, TimeUnit.MILLISECONDS);
      } else {
        entry.setValue(value);
      }
      return true;
    }
  }

  /** Sets a tombstone in an empty entry, on the entry's owner; true when it did. */
  static final class Claim implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String tombstone;

    Claim(String tombstone) {
      this.tombstone = tombstone;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      if (entry.getValue() != null) {
        return false;
      }
      entry.setValue(tombstone);
      return true;
    }
  }

  /** The last value decoded per key, with the text it came from. */
  private record Decoded<V>(String text, Optional<V> value) {}

  /** Bounds the memo of decoded values; past it the memo starts over. */
  static final int MAX_DECODED = 10_000;

  private final Map<String, Decoded<V>> decodedByKey = new ConcurrentHashMap<>();

  /**
   * A near-cache hit hands back the same text object until the entry changes, so the value decoded
   * from it last time is reused: parsing a definition per request would cost more than the hit
   * saves. Callers therefore share values and must not change them. Values read from the entry's
   * owner are new objects every time and skip this memo.
   */
  private Optional<V> decoded(String key, String cached) {
    Decoded<V> last = decodedByKey.get(key);
    if (last != null && last.text() == cached) {
      return last.value();
    }
    Optional<V> value = decoded(cached);
    if (decodedByKey.size() >= MAX_DECODED) {
      decodedByKey.clear();
    }
    decodedByKey.put(key, new Decoded<>(cached, value));
    return value;
  }

  private Optional<V> decoded(String cached) {
    return cached.isEmpty() ? Optional.empty() : Optional.of(decode.apply(cached));
  }
}
