package io.plinth.platform.identity;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.cluster.ClusterFutures;
import io.plinth.platform.cluster.ClusterMaps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of OpenID issuers (Keycloak realms, external issuers), fetched from their
 * discovery document and JWKS ({@link JwksFetcher}) and shared by the cluster, so that verifying a
 * token never waits on the issuer.
 *
 * <ul>
 *   <li>Each node keeps the parsed keys of the issuers it has seen: a known key id is answered from
 *       memory, without a cluster call.
 *   <li>The fetched key sets live in the Hazelcast map {@value ClusterMaps#ISSUER_KEYS} (issuer →
 *       JSON text with the set and when it was fetched and last tried), so a node that has never
 *       seen an issuer takes the set another node fetched.
 *   <li>An unknown key id (a rotated key, a new realm) fetches the set again, at most once per
 *       {@link Options#minInterval()} per issuer across the cluster: an entry processor on the
 *       entry's owner records the attempt, and only the request that recorded it fetches; requests
 *       on the same node share one refresh; a request that finds another node fetching waits for it
 *       (up to the fetch timeout) instead of being refused. Made-up key ids therefore cost one map
 *       call each, never a request to the issuer.
 *   <li>A set older than {@link Options#maxAge()} is fetched again in the background when it is
 *       used, so keys the issuer removed stop verifying; the request is served from the set at
 *       hand.
 *   <li>When the issuer cannot be reached, the last set fetched keeps serving, however old: an
 *       outage never expires known keys. Only tokens signed with keys nobody fetched are refused.
 *   <li>When the cluster cannot be asked, a node fetches on its own, still at most once per
 *       interval per issuer.
 * </ul>
 *
 * <p>Metrics: {@code plinth_identity_key_fetches_total{result="ok"|"failed"}}.
 */
public final class IssuerKeys implements SigningKeys {

  /**
   * How often an issuer's keys may be fetched (across the cluster), how old a set may grow before
   * it is refreshed in the background, how often a node compares its copy with the cluster's, and
   * how long a request waits for another node's fetch.
   */
  public record Options(
      Duration minInterval, Duration maxAge, Duration localRecheck, Duration fetchWait) {

    public static final Options DEFAULTS =
        new Options(
            Duration.ofSeconds(10),
            Duration.ofMinutes(10),
            Duration.ofSeconds(30),
            JwksFetcher.DEFAULT_TIMEOUT.multipliedBy(2).plusSeconds(1));
  }

  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

  /** How often a request waiting for another node's fetch looks at the entry. */
  static final long POLL_MILLIS = 100;

  /** Bounds the issuers a node remembers; past it the memory starts over (from the cluster). */
  static final int MAX_LOCAL_ISSUERS = 100_000;

  private final IMap<String, String> map;
  private final Vertx vertx;
  private final JwksFetcher fetcher;
  private final Clock clock;
  private final Options options;
  private final Map<String, Local> local = new ConcurrentHashMap<>();
  private final Map<String, Future<Local>> refreshing = new ConcurrentHashMap<>();
  private final Map<String, Long> lastLocalAttempt = new ConcurrentHashMap<>();
  private final Counter fetched;
  private final Counter failed;

  public IssuerKeys(
      HazelcastInstance cluster,
      Vertx vertx,
      JwksFetcher fetcher,
      Clock clock,
      Options options,
      MeterRegistry meters) {
    this.map = cluster.getMap(ClusterMaps.ISSUER_KEYS);
    this.vertx = vertx;
    this.fetcher = fetcher;
    this.clock = clock;
    this.options = options;
    this.fetched = fetches(meters, "ok");
    this.failed = fetches(meters, "failed");
  }

  /** With a fetcher of default timeouts and body limit, the system clock and default intervals. */
  public IssuerKeys(HazelcastInstance cluster, Vertx vertx, MeterRegistry meters) {
    this(cluster, vertx, new JwksFetcher(vertx), Clock.systemUTC(), Options.DEFAULTS, meters);
  }

  private static Counter fetches(MeterRegistry meters, String result) {
    return Counter.builder("plinth.identity.key.fetches")
        .description("Fetches of an issuer's discovery document and signing keys, by outcome")
        .tag("result", result)
        .register(meters);
  }

  /** The keys of one issuer as this node knows them. */
  private record Local(Map<String, PublicKey> keys, long fetchedAt, long checkedAt) {
    static final Local NONE = new Local(Map.of(), 0, 0);
  }

  @Override
  public Future<Optional<PublicKey>> find(String issuer, String keyId) {
    Local known = local.get(issuer);
    if (known != null) {
      PublicKey key = known.keys().get(keyId);
      if (key != null) {
        if (clock.millis() - known.checkedAt() >= options.localRecheck().toMillis()) {
          refresh(issuer, null); // nobody waits: served from the set at hand
        }
        return Future.succeededFuture(Optional.of(key));
      }
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Optional<PublicKey>> answer = Promise.promise();
    // The refresh may be another request's, completing on another thread: answer on ours.
    refresh(issuer, keyId)
        .onComplete(
            done ->
                caller.runOnContext(
                    ignored ->
                        answer.complete(
                            Optional.ofNullable(
                                (done.succeeded() ? done.result() : Local.NONE)
                                    .keys()
                                    .get(keyId)))));
    return answer.future();
  }

  /**
   * Brings this node's keys of {@code issuer} up to date with the cluster, fetching from the issuer
   * when allowed and needed: when {@code keyId} is not among them, or (for a null key id) when the
   * set has grown old. Requests on this node for the same issuer and key share one refresh.
   */
  private Future<Local> refresh(String issuer, String keyId) {
    String flight = issuer + '\n' + (keyId == null ? "" : keyId);
    Promise<Local> mine = Promise.promise();
    Future<Local> running = refreshing.putIfAbsent(flight, mine.future());
    if (running != null) {
      return running;
    }
    synchronize(issuer, keyId)
        .recover(
            failure -> {
              LOG.warn("signing keys of {} not refreshed: {}", issuer, failure.toString());
              return Future.succeededFuture(local.getOrDefault(issuer, Local.NONE));
            })
        .onComplete(
            done -> {
              refreshing.remove(flight, mine.future());
              mine.handle(done);
            });
    return mine.future();
  }

  private Future<Local> synchronize(String issuer, String keyId) {
    long now = clock.millis();
    Context context = vertx.getOrCreateContext();
    return ClusterFutures.onContext(
            map.submitToKey(
                issuer,
                new Claim(
                    keyId, now, options.minInterval().toMillis(), options.maxAge().toMillis())),
            context)
        .recover(clusterFailure -> claimLocally(issuer, now, clusterFailure))
        .compose(
            decision -> {
              Local adopted = adopt(issuer, decision.entry(), now);
              if (decision.fetch()) {
                Future<Local> fetching = fetch(issuer, now);
                // Only an old set is being replaced: the key asked for is at hand already.
                return keyId != null && adopted.keys().containsKey(keyId)
                    ? Future.succeededFuture(adopted)
                    : fetching;
              }
              Entry entry = Entry.parse(decision.entry());
              if (keyId != null
                  && !adopted.keys().containsKey(keyId)
                  && entry != null
                  && entry.fetching(now, options.fetchWait().toMillis())) {
                return awaitFetch(issuer, keyId, options.fetchWait().toMillis() / POLL_MILLIS);
              }
              return Future.succeededFuture(adopted);
            });
  }

  /**
   * The cluster cannot be asked: this node decides alone, with its own record of attempts, so an
   * issuer is still fetched at most once per interval by this node.
   */
  private Future<Decision> claimLocally(String issuer, long now, Throwable clusterFailure) {
    LOG.debug("issuer keys map unavailable: {}", clusterFailure.toString());
    long interval = options.minInterval().toMillis();
    boolean[] mine = {false};
    lastLocalAttempt.compute(
        issuer,
        (k, last) -> {
          mine[0] = last == null || now - last >= interval;
          return mine[0] ? Long.valueOf(now) : last;
        });
    return Future.succeededFuture(new Decision(mine[0], null));
  }

  /** Takes the cluster's set when it is newer than this node's; notes the check either way. */
  private Local adopt(String issuer, String entryText, long now) {
    Entry entry = Entry.parse(entryText);
    Local known = local.getOrDefault(issuer, Local.NONE);
    Local updated =
        entry != null && entry.jwks() != null && entry.fetchedAt() > known.fetchedAt()
            ? new Local(Map.copyOf(Jwks.signingKeys(entry.jwks())), entry.fetchedAt(), now)
            : new Local(known.keys(), known.fetchedAt(), now);
    remember(issuer, updated);
    return updated;
  }

  private void remember(String issuer, Local keys) {
    if (local.size() >= MAX_LOCAL_ISSUERS && !local.containsKey(issuer)) {
      local.clear();
    }
    local.put(issuer, keys);
  }

  /** Fetches from the issuer (this request holds the claim) and shares the set. */
  private Future<Local> fetch(String issuer, long claimedAt) {
    return fetcher
        .fetch(issuer)
        .map(
            jwks -> {
              fetched.increment();
              long at = Math.max(claimedAt, clock.millis());
              Local keys = new Local(Map.copyOf(Jwks.signingKeys(jwks)), at, at);
              remember(issuer, keys);
              record(issuer, new Record(jwks.encode(), at));
              LOG.info("fetched {} signing keys of {}", keys.keys().size(), issuer);
              return keys;
            })
        .recover(
            failure -> {
              failed.increment();
              record(issuer, new Record(null, clock.millis()));
              Local kept = local.getOrDefault(issuer, Local.NONE);
              LOG.warn(
                  "could not fetch the signing keys of {} ({} known keys kept): {}",
                  issuer,
                  kept.keys().size(),
                  failure.getMessage());
              return Future.succeededFuture(kept);
            });
  }

  /** Writes the outcome of a fetch to the cluster; nothing waits for it. */
  private void record(String issuer, Record outcome) {
    map.submitToKey(issuer, outcome);
  }

  /** Another node is fetching this issuer's keys: looks again until it is done or time is up. */
  private Future<Local> awaitFetch(String issuer, String keyId, long looksLeft) {
    Promise<Local> done = Promise.promise();
    vertx.setTimer(
        POLL_MILLIS,
        ignored ->
            ClusterFutures.onContext(map.getAsync(issuer), vertx.getOrCreateContext())
                .onFailure(done::fail)
                .onSuccess(
                    text -> {
                      long now = clock.millis();
                      Local adopted = adopt(issuer, text, now);
                      Entry entry = Entry.parse(text);
                      boolean stillFetching =
                          entry != null && entry.fetching(now, options.fetchWait().toMillis());
                      if (adopted.keys().containsKey(keyId) || !stillFetching || looksLeft <= 1) {
                        done.complete(adopted);
                      } else {
                        awaitFetch(issuer, keyId, looksLeft - 1).onComplete(done);
                      }
                    }));
    return done.future();
  }

  public Future<Void> close() {
    return fetcher.close();
  }

  /**
   * An issuer's entry in the cluster map: the key set last fetched (null before the first success)
   * and when, and when a fetch was last started and last failed (epoch milliseconds).
   */
  record Entry(JsonObject jwks, long fetchedAt, long attemptedAt, long failedAt) {

    static Entry parse(String text) {
      if (text == null) {
        return null;
      }
      JsonObject json = new JsonObject(text);
      return new Entry(
          json.getJsonObject("jwks"),
          json.getLong("fetchedAt", 0L),
          json.getLong("attemptedAt", 0L),
          json.getLong("failedAt", 0L));
    }

    String encode() {
      return new JsonObject()
          .put("jwks", jwks)
          .put("fetchedAt", fetchedAt)
          .put("attemptedAt", attemptedAt)
          .put("failedAt", failedAt)
          .encode();
    }

    /** Whether the set holds a signing key of this id (as {@link Jwks} reads them). */
    boolean has(String keyId) {
      if (jwks == null) {
        return false;
      }
      for (Object key : jwks.getJsonArray("keys", new JsonArray())) {
        if (key instanceof JsonObject jwk
            && keyId.equals(jwk.getValue("kid"))
            && !"enc".equals(jwk.getValue("use"))) {
          return true;
        }
      }
      return false;
    }

    /** A fetch was started, has not ended, and is recent enough to still be running. */
    boolean fetching(long now, long timeoutMillis) {
      return attemptedAt > Math.max(fetchedAt, failedAt) && now - attemptedAt < timeoutMillis;
    }
  }

  /** What a {@link Claim} answered: whether the caller fetches, and the entry as it was. */
  record Decision(boolean fetch, String entry) implements Serializable {}

  /**
   * Decides on the entry's owner, in one step, whether the caller fetches: when the set lacks the
   * key id asked for (or is missing, or older than the maximum age) and no fetch was started within
   * the minimum interval. If so, it records the attempt. Answers the entry as it was either way.
   */
  static final class Claim implements EntryProcessor<String, String, Decision> {
    private static final long serialVersionUID = 1L;
    private final String keyId;
    private final long now;
    private final long minIntervalMillis;
    private final long maxAgeMillis;

    Claim(String keyId, long now, long minIntervalMillis, long maxAgeMillis) {
      this.keyId = keyId;
      this.now = now;
      this.minIntervalMillis = minIntervalMillis;
      this.maxAgeMillis = maxAgeMillis;
    }

    @Override
    public Decision process(Map.Entry<String, String> mapEntry) {
      String text = mapEntry.getValue();
      Entry entry = Entry.parse(text);
      boolean needed =
          entry == null
              || entry.jwks() == null
              || (keyId != null && !entry.has(keyId))
              || now - entry.fetchedAt() >= maxAgeMillis;
      // A clock behind the last attempt's counts as within the interval.
      boolean allowed = entry == null || now - entry.attemptedAt() >= minIntervalMillis;
      if (!needed || !allowed) {
        return new Decision(false, text);
      }
      Entry claimed =
          entry == null
              ? new Entry(null, 0, now, 0)
              : new Entry(entry.jwks(), entry.fetchedAt(), now, entry.failedAt());
      mapEntry.setValue(claimed.encode());
      return new Decision(true, text);
    }
  }

  /** Records a fetch's outcome: the new set (keys stay when it failed), on the entry's owner. */
  static final class Record implements EntryProcessor<String, String, Void> {
    private static final long serialVersionUID = 1L;
    private final String jwks;
    private final long at;

    /**
     * @param jwks the fetched set as JSON text, or null when the fetch failed
     */
    Record(String jwks, long at) {
      this.jwks = jwks;
      this.at = at;
    }

    @Override
    public Void process(Map.Entry<String, String> mapEntry) {
      Entry entry = Entry.parse(mapEntry.getValue());
      if (entry == null) {
        mapEntry.setValue(
            (jwks != null ? new Entry(new JsonObject(jwks), at, at, 0) : new Entry(null, 0, at, at))
                .encode());
        return null;
      }
      // A slower fetch that ends after a newer one must not put the older set back.
      if (jwks != null && entry.fetchedAt() > at) {
        return null;
      }
      Entry updated =
          jwks != null
              ? new Entry(new JsonObject(jwks), at, entry.attemptedAt(), entry.failedAt())
              : new Entry(entry.jwks(), entry.fetchedAt(), entry.attemptedAt(), at);
      if (!Objects.equals(updated.encode(), mapEntry.getValue())) {
        mapEntry.setValue(updated.encode());
      }
      return null;
    }
  }
}
