package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 100 concurrent writers and a paginating reader: the reader never sees a record twice and never
 * misses one that existed before its scan began, and its pages follow the order, for several orders
 * (with NULLs, mixed directions, ties) and a filter.
 *
 * <p>The writers insert records (alone and in small batches), patch the {@code note} of existing
 * ones, and delete records they inserted. They never change a field any scan orders or filters on:
 * changing one legitimately moves a record across the reader's position. So every record's place in
 * every order is fixed, and the concatenated pages of a scan must be strictly increasing in it.
 *
 * <p>"Existed before the scan began" is judged from the writers' side: seed records, and records
 * whose insert was answered before the scan's first request and whose delete was not sent before
 * its last answer.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentPaginationIT {

  private static final String RECORDS = "/v1/collections/items/records";
  private static final int SEED = 2_000;
  private static final int WRITERS = 100;
  private static final int PAGE = 37;

  /**
   * All writers together start at most this many writes a second. Unpaced, 100 writers insert
   * faster than one reader pages on a 2-core machine, and a scan in creation order (where every new
   * record lands at the end) would never finish. At this pace there are still several writes
   * between one page and the next (the test prints how many per scan).
   */
  private static final int WRITES_PER_SECOND = 500;

  /** Rounds of every scan are repeated while the scanning has taken less than this. */
  private static final long SCAN_BUDGET_MILLIS = 20_000;

  /** A scan longer than this many pages is not keeping up with the writers: the test says so. */
  private static final int MAX_PAGES = 1_000;

  /** Title words: few enough for many ties, lowercase ASCII so that every collation agrees. */
  private static final List<String> WORDS =
      List.of(
          ("alder alpha alphabet amber apple aspen birch bravo cedar charlie cherry delta echo elm"
                  + " fig foxtrot golf hazel hotel india juliet kilo larch lima maple mike oak oscar"
                  + " papa pine quebec romeo rowan sierra spruce tango willow yew zulu")
              .split(" "));

  /** One term of a full order, as the server completes it (id last, as the tie-breaker). */
  private record Term(String field, boolean descending) {}

  /**
   * A scan: its query string, its full order and which records it can return.
   *
   * @param order the order the server applies: the requested terms, then {@code id} in the
   *     direction of the last term (QueryParser.completeOrder), or createdAt.asc, id.asc by default
   */
  private record Scan(String name, String query, List<Term> order, Predicate<JsonObject> filter) {}

  private DataPlane plane;

  /** Records a scan saw before their writer had its answer: "scan name: record". */
  private final List<String> unacknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();

  private PlinthClient api;
  private final Set<String> seedIds = ConcurrentHashMap.newKeySet();

  /** Every record ever written, as inserted: its order fields never change. */
  private final Map<String, JsonObject> known = new ConcurrentHashMap<>();

  /** When each writer-inserted record's insert was answered (System.nanoTime). */
  private final Map<String, Long> insertedAt = new ConcurrentHashMap<>();

  /** When each delete was sent (System.nanoTime). */
  private final Map<String, Long> deleteSentAt = new ConcurrentHashMap<>();

  private final Queue<String> writerErrors = new ConcurrentLinkedQueue<>();
  private final AtomicLong inserts = new AtomicLong();
  private final AtomicLong patches = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();
  private volatile boolean stopWriters;
  private final AtomicLong nextWriteNanos = new AtomicLong();

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    api = plane.as(plane.newTenant("internal").secretKey()); // writers at 500/s: no rate limit
    JsonObject items =
        DataPlane.collection("items", "title:text", "qty:integer", "price:number", "note:text");
    Response created = api.postJson("/v1/collections", items);
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    Random random = new Random(20261128L);
    for (int batch = 0; batch < SEED / 1000; batch++) {
      JsonArray records = new JsonArray();
      for (int i = 0; i < 1000; i++) {
        records.add(randomRecord(random).put("note", "seed"));
      }
      Response inserted = api.post(RECORDS, "application/json", records.encode());
      assertThat(inserted.status()).as(inserted.body()).isEqualTo(201);
      for (Object r : new JsonArray(inserted.body())) {
        JsonObject record = (JsonObject) r;
        seedIds.add(record.getString("id"));
        known.put(record.getString("id"), record);
      }
    }
    assertThat(seedIds).hasSize(SEED);
  }

  /** Titles from a few words (many ties), small integers, halves; each may be null. */
  private static JsonObject randomRecord(Random random) {
    JsonObject record = new JsonObject();
    record.put("title", random.nextInt(10) == 0 ? null : WORDS.get(random.nextInt(WORDS.size())));
    record.put("qty", random.nextInt(20) == 0 ? null : (long) random.nextInt(20));
    record.put("price", random.nextInt(5) == 0 ? null : random.nextInt(50) * 0.5);
    return record;
  }

  @Test
  void concurrentWritersNeverMakeAScanSeeARecordTwiceOrMissAnOldOne() throws Exception {
    List<Scan> scans =
        List.of(
            new Scan("default order", "", List.of(asc("createdAt"), asc("id")), r -> true),
            new Scan(
                "order=qty.desc", "&order=qty.desc", List.of(desc("qty"), desc("id")), r -> true),
            new Scan(
                "order=title.asc,price.desc",
                "&order=title.asc,price.desc",
                List.of(asc("title"), desc("price"), desc("id")),
                r -> true),
            new Scan(
                "order=price.asc,qty.desc,title.asc",
                "&order=price.asc,qty.desc,title.asc",
                List.of(asc("price"), desc("qty"), asc("title"), asc("id")),
                r -> true),
            new Scan("order=id.desc", "&order=id.desc", List.of(desc("id")), r -> true),
            new Scan(
                "order=createdAt.desc,title.desc",
                "&order=createdAt.desc,title.desc",
                List.of(desc("createdAt"), desc("title"), desc("id")),
                r -> true),
            new Scan(
                "qty=gte.10&order=title.desc,qty.asc",
                "&qty=gte.10&order=title.desc,qty.asc",
                List.of(desc("title"), asc("qty"), asc("id")),
                r -> r.getLong("qty") != null && r.getLong("qty") >= 10));

    nextWriteNanos.set(System.nanoTime());
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    for (int i = 0; i < WRITERS; i++) {
      long seed = 1_000L + i;
      writers.execute(() -> write(new Random(seed)));
    }
    SoftAssertions soft = new SoftAssertions();
    List<String> report = new ArrayList<>();
    try {
      // Let the writers get going before the first scan.
      long warm = System.nanoTime();
      while (inserts.get() < 100 && System.nanoTime() - warm < TimeUnit.SECONDS.toNanos(10)) {
        Thread.sleep(20);
      }
      long scanning = System.nanoTime();
      int rounds = 0;
      do {
        for (Scan scan : scans) {
          report.add(scan(scan, soft));
        }
        rounds++;
      } while (System.nanoTime() - scanning < TimeUnit.MILLISECONDS.toNanos(SCAN_BUDGET_MILLIS)
          && rounds < 5);
      report.add(rounds + " rounds of " + scans.size() + " scans");
    } finally {
      stopWriters = true;
      writers.shutdown();
      assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).as("writers stopped").isTrue();
    }
    System.out.println(String.join("\n", report));
    System.out.printf(
        "writers: %d inserts, %d patches, %d deletes%n",
        inserts.get(), patches.get(), deletes.get());
    soft.assertThat(writerErrors).as("writer requests that failed").isEmpty();
    for (String seen : unacknowledged) {
      String id = new JsonObject(seen.substring(seen.indexOf(": ") + 2)).getString("id");
      soft.assertThat(known).as("a record no writer wrote, seen by %s", seen).containsKey(id);
    }
    soft.assertAll();
  }

  /** One scan through every page while the writers run; returns a line for the report. */
  private String scan(Scan scan, SoftAssertions soft) {
    long writesBefore = inserts.get() + patches.get() + deletes.get();
    long start = System.nanoTime();
    List<JsonObject> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      Response page =
          api.get(
              RECORDS + "?limit=" + PAGE + scan.query() + (next == null ? "" : "&after=" + next));
      assertThat(page.status())
          .as("%s page %d: %s", scan.name(), pages, page.body())
          .isEqualTo(200);
      JsonArray items = page.json().getJsonArray("items");
      next = page.json().getString("next");
      if (next != null) {
        soft.assertThat(items.size())
            .as("%s page %d: a page with a next is full", scan.name(), pages)
            .isEqualTo(PAGE);
      } else {
        soft.assertThat(items.size())
            .as("%s page %d: the last page", scan.name(), pages)
            .isLessThanOrEqualTo(PAGE);
      }
      items.forEach(i -> seen.add((JsonObject) i));
      pages++;
    } while (next != null && pages < MAX_PAGES);
    long end = System.nanoTime();
    assertThat(next)
        .as("%s: not done after %d pages, the writers outpace the reader", scan.name(), pages)
        .isNull();
    long writes = inserts.get() + patches.get() + deletes.get() - writesBefore;

    // No record twice.
    Map<String, Integer> counts = new LinkedHashMap<>();
    seen.forEach(r -> counts.merge(r.getString("id"), 1, Integer::sum));
    List<String> twice =
        counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    soft.assertThat(twice).as("%s: records seen more than once", scan.name()).isEmpty();

    // Every record that existed before the scan began, and was not deleted during it, seen.
    Set<String> required = new HashSet<>();
    for (String id : seedIds) {
      if (scan.filter().test(known.get(id))) {
        required.add(id);
      }
    }
    insertedAt.forEach(
        (id, at) -> {
          Long deleted = deleteSentAt.get(id);
          if (at < start
              && (deleted == null || deleted > end)
              && scan.filter().test(known.get(id))) {
            required.add(id);
          }
        });
    Set<String> missing = new HashSet<>(required);
    missing.removeAll(counts.keySet());
    soft.assertThat(missing)
        .as("%s: records that existed before the scan but were not seen", scan.name())
        .isEmpty();

    // Nothing but real records that pass the filter, as they were written.
    for (JsonObject record : seen) {
      String id = record.getString("id");
      JsonObject written = known.get(id);
      if (written == null) {
        // Its insert may have committed while its writer still waits for the answer: it is
        // checked once every writer has stopped.
        unacknowledged.add(scan.name() + ": " + record.encode());
        continue;
      }
      soft.assertThat(scan.filter().test(record))
          .as("%s: record %s passes the filter", scan.name(), id)
          .isTrue();
      for (Term term : scan.order()) {
        soft.assertThat(record.getValue(term.field()))
            .as("%s: %s of record %s as written", scan.name(), term.field(), id)
            .isEqualTo(written.getValue(term.field()));
      }
    }

    // The pages, one after the other, follow the order strictly.
    Comparator<JsonObject> order = comparator(scan.order());
    for (int i = 1; i < seen.size(); i++) {
      JsonObject before = seen.get(i - 1);
      JsonObject after = seen.get(i);
      if (order.compare(before, after) >= 0) {
        soft.fail(
            "%s: item %d (page %d) does not follow item %d in the order: %s then %s",
            scan.name(), i, i / PAGE, i - 1, key(before, scan), key(after, scan));
      }
    }

    long millis = TimeUnit.NANOSECONDS.toMillis(end - start);
    soft.assertThat(writes).as("%s: writes while it ran", scan.name()).isPositive();
    return String.format(
        "%-40s %4d pages %5d records (%5d required) in %5d ms, %5d writes meanwhile",
        scan.name(), pages, seen.size(), required.size(), millis, writes);
  }

  /** A writer: inserts (sometimes five at once), patches notes, deletes its own records. */
  private void write(Random random) {
    PlinthClient client = api;
    List<String> seeds = new ArrayList<>(seedIds);
    List<String> own = new ArrayList<>();
    while (!stopWriters) {
      if (!awaitTurn()) {
        return;
      }
      int op = random.nextInt(100);
      try {
        if (op < 35 || own.isEmpty()) {
          insertOne(client, random, own);
        } else if (op < 40) {
          insertBatch(client, random, own);
        } else if (op < 70) {
          String id =
              random.nextBoolean()
                  ? seeds.get(random.nextInt(seeds.size()))
                  : own.get(random.nextInt(own.size()));
          Response r =
              client.patch(
                  RECORDS + "/" + id, new JsonObject().put("note", "patched " + random.nextInt()));
          check(r, 200, "patch " + id);
          patches.incrementAndGet();
        } else {
          String id = own.remove(random.nextInt(own.size()));
          deleteSentAt.put(id, System.nanoTime());
          check(client.delete(RECORDS + "/" + id), 204, "delete " + id);
          deletes.incrementAndGet();
        }
      } catch (RuntimeException e) {
        writerErrors.add(e.toString());
      }
    }
  }

  /** Waits for this writer's slot in the shared pace; false when the writers are stopping. */
  private boolean awaitTurn() {
    long now = System.nanoTime();
    long interval = 1_000_000_000L / WRITES_PER_SECOND;
    // The next free slot, never in the past: writers that fell behind do not burst to catch up.
    long slot = Math.max(now, nextWriteNanos.getAndUpdate(prev -> Math.max(prev, now) + interval));
    long wait = slot - now;
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopWriters;
  }

  private void insertOne(PlinthClient client, Random random, List<String> own) {
    Response r = client.postJson(RECORDS, randomRecord(random).put("note", "new"));
    if (check(r, 201, "insert")) {
      remember(r.json(), own);
      inserts.incrementAndGet();
    }
  }

  private void insertBatch(PlinthClient client, Random random, List<String> own) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 5; i++) {
      batch.add(randomRecord(random).put("note", "batch"));
    }
    Response r = client.post(RECORDS, "application/json", batch.encode());
    if (check(r, 201, "batch insert")) {
      new JsonArray(r.body()).forEach(record -> remember((JsonObject) record, own));
      inserts.addAndGet(5);
    }
  }

  private void remember(JsonObject record, List<String> own) {
    String id = record.getString("id");
    known.put(id, record);
    insertedAt.put(id, System.nanoTime());
    own.add(id);
  }

  private boolean check(Response r, int status, String what) {
    if (r.status() != status) {
      writerErrors.add(what + ": " + r.status() + " " + r.body());
      return false;
    }
    return true;
  }

  private static Term asc(String field) {
    return new Term(field, false);
  }

  private static Term desc(String field) {
    return new Term(field, true);
  }

  /** The order as DESIGN defines it: each term asc or desc, NULLs last both ways. */
  private static Comparator<JsonObject> comparator(List<Term> terms) {
    return (a, b) -> {
      for (Term term : terms) {
        Comparable<Object> x = value(a, term.field());
        Comparable<Object> y = value(b, term.field());
        int c;
        if (x == null || y == null) {
          c = x == null && y == null ? 0 : x == null ? 1 : -1; // NULLs last, whatever the direction
        } else {
          c = x.compareTo(y);
          c = term.descending() ? -c : c;
        }
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }

  /**
   * A field's value, comparable as PostgreSQL compares it: numbers as numbers, timestamps as
   * instants, UUIDs as unsigned bytes (the same as their lowercase text), text by code point (the
   * test database's C.UTF-8 collation; the titles are lowercase ASCII words, which sort the same in
   * any common collation).
   */
  @SuppressWarnings("unchecked")
  private static Comparable<Object> value(JsonObject record, String field) {
    Object value = record.getValue(field);
    if (value == null) {
      return null;
    }
    Comparable<?> comparable =
        switch (field) {
          case "createdAt", "updatedAt" -> OffsetDateTime.parse((String) value).toInstant();
          case "id" -> ((String) value).toLowerCase(java.util.Locale.ROOT);
          case "qty" -> ((Number) value).longValue();
          case "price" -> ((Number) value).doubleValue();
          default -> (String) value;
        };
    return (Comparable<Object>) comparable;
  }

  private static String key(JsonObject record, Scan scan) {
    StringBuilder key = new StringBuilder("[");
    for (Term term : scan.order()) {
      key.append(term.field()).append('=').append(record.getValue(term.field())).append(' ');
    }
    return key.append(']').toString();
  }
}
