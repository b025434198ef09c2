package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.Eventually;
import io.plinth.testing.OwnPostgres;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The writer PostgreSQL is killed ({@code kill -9} of the postmaster and every backend) under a
 * steady write load through the data plane over HTTP, stays away a few seconds and is started again
 * (crash recovery). Each client inserts one record after the other, each with an {@code
 * Idempotency-Key}, and sends a refused insert again with the same key until it is acknowledged, as
 * a well-behaved client does. Then, as a user would notice:
 *
 * <ol>
 *   <li>every acknowledged insert is in the database, once, with what was sent (the server is
 *       durable: a commit PostgreSQL acknowledged survives the kill; an insert that committed but
 *       whose answer was lost is answered from its key on the retry, not inserted twice);
 *   <li>every refusal, during the outage and around it, is 503 {@code application/problem+json}
 *       with a stable code and {@code Retry-After}: no 500, no cut connection, no hang;
 *   <li>readiness is 503 while the database is away, and so are a query on the data plane and a
 *       listing on the control plane;
 *   <li>within 10 s of the database accepting connections again every client's writes succeed, and
 *       once they all do, no request fails.
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriterCrashIT {

  private static final String RECORDS = "/v1/collections/items/records";
  private static final int CLIENTS = 4;

  /** Inserts each client has had acknowledged before the crash: the load is established. */
  private static final int ACKS_BEFORE_CRASH = 20;

  /** Refusals each client meets before the database starts again: the outage is felt by all. */
  private static final int REFUSALS_IN_OUTAGE = 10;

  /** The bound the issue sets: service back within this of the database's return. */
  private static final long BACK_WITHIN_MS = 10_000;

  /** Load kept up once every client wrote again, to see that it stays back. */
  private static final long STEADY_MS = 2_000;

  /**
   * How long a client waits before sending a refused insert again: shorter than Retry-After, so the
   * test sees the moment the service is back rather than the client's politeness.
   */
  private static final long RETRY_PAUSE_MS = 100;

  /** The codes a client may see while the database is away; each a documented 503. */
  private static final Set<String> OUTAGE_CODES = Set.of("dependency_unavailable");

  private OwnPostgres postgres;
  private DataPlane plane;
  private DataPlane.Tenant tenant;
  private PlinthClient client;

  @BeforeAll
  void start() {
    postgres = OwnPostgres.start();
    plane = new DataPlane(postgres.newDatabase("plinth"), Map.of(), Map.of(), Map.of());
    tenant = plane.newTenant("internal");
    client = plane.as(tenant.secretKey());
    Response created =
        client.postJson("/v1/collections", DataPlane.collection("items", "c:integer", "n:integer"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** One request: which client and write, when, and what came back (status -1: no answer). */
  record Attempt(
      int client,
      long n,
      long start,
      long end,
      int status,
      String code,
      String retryAfter,
      boolean problem,
      String error) {}

  /** An acknowledged insert: the record's id and what it holds. */
  record Ack(int client, long n, String id, long at) {}

  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final Map<String, Ack> acks = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @Test
  void killingTheWriterLosesNoAcknowledgedWriteAndServiceReturnsWithinTenSeconds()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<CompletableFuture<Void>> load = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int id = c;
      load.add(CompletableFuture.runAsync(() -> write(id), pool));
    }
    awaitEveryClient("acknowledged inserts before the crash", ACKS_BEFORE_CRASH, this::acksOf);
    long crashStart = System.nanoTime();
    postgres.crash();
    long crashed = System.nanoTime();
    awaitEveryClient("refusals in the outage", 1, c -> refusalsOf(c, crashed));
    Response readyDuringOutage = plane.api.ready();
    Response readDuringOutage = client.get(RECORDS);
    Response adminDuringOutage = plane.admin.get("/admin/v1/tenants");
    awaitEveryClient("refusals in the outage", REFUSALS_IN_OUTAGE, c -> refusalsOf(c, crashed));
    long restartStart = System.nanoTime();
    postgres.restart();
    long back = System.nanoTime(); // accepting connections again
    Long readyAgain = null;
    // Until every client wrote again and kept writing a while, or well past the bound.
    long giveUp = back + TimeUnit.MILLISECONDS.toNanos(BACK_WITHIN_MS + STEADY_MS);
    while (System.nanoTime() < giveUp) {
      if (readyAgain == null && plane.api.ready().status() == 200) {
        readyAgain = System.nanoTime();
      }
      long allBack = allWritingAgainAt(back);
      if (readyAgain != null
          && allBack < Long.MAX_VALUE
          && System.nanoTime() > allBack + TimeUnit.MILLISECONDS.toNanos(STEADY_MS)) {
        break;
      }
      Thread.sleep(50);
    }
    running.set(false);
    CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    pool.shutdown();

    List<Attempt> all = new ArrayList<>(attempts);
    Map<String, Ack> stored = storedRecords();
    report(all, crashStart, crashed, restartStart, back, readyAgain, allWritingAgainAt(back));

    Long ready = readyAgain;
    SoftAssertions.assertSoftly(
        softly -> {
          // 1. Nothing acknowledged is lost, and nothing is there twice.
          softly.assertThat(acks).as("the load wrote before and after the outage").isNotEmpty();
          List<String> lost =
              acks.values().stream()
                  .filter(ack -> !stored.containsKey(ack.id()))
                  .map(Ack::toString)
                  .toList();
          softly.assertThat(lost).as("acknowledged inserts missing after the crash").isEmpty();
          for (Ack ack : acks.values()) {
            Ack row = stored.get(ack.id());
            if (row != null) {
              softly
                  .assertThat(List.of(row.client(), row.n()))
                  .as("record %s holds what was sent", ack.id())
                  .isEqualTo(List.of(ack.client(), ack.n()));
            }
          }
          softly
              .assertThat(stored.keySet())
              .as("every stored record was acknowledged once: retries inserted nothing twice")
              .containsExactlyInAnyOrderElementsOf(acks.keySet());

          // 2. Every refusal is a 503 problem with a stable code and Retry-After.
          List<Attempt> wrong =
              all.stream()
                  .filter(a -> a.status() != 201)
                  .filter(
                      a ->
                          a.status() != 503
                              || !a.problem()
                              || !OUTAGE_CODES.contains(a.code())
                              || a.retryAfter() == null
                              || Integer.parseInt(a.retryAfter().trim()) < 1)
                  .toList();
          softly.assertThat(wrong).as("answers other than 201 or a 503 problem").isEmpty();
          List<Attempt> inOutage =
              all.stream().filter(a -> a.start() > crashed && a.end() < restartStart).toList();
          softly.assertThat(inOutage).as("requests during the outage").hasSizeGreaterThan(CLIENTS);
          softly
              .assertThat(inOutage)
              .as("refused during the outage")
              .allMatch(a -> a.status() == 503);

          // 3. Readiness says the database is away, and comes back.
          softly.assertThat(readyDuringOutage.status()).isEqualTo(503);
          softly.assertThat(readyDuringOutage.json().getString("code")).isEqualTo("not_ready");
          softly.assertThat(ready).as("ready again within the load after the return").isNotNull();
          for (Response refused : List.of(readDuringOutage, adminDuringOutage)) {
            softly.assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            softly.assertThat(refused.isProblem()).isTrue();
            softly.assertThat(refused.json().getString("code")).isEqualTo("dependency_unavailable");
            softly.assertThat(refused.header("Retry-After")).isPresent();
          }

          // 4. Back within 10 s of the database, for every client, and no failure after that.
          long allBack = allWritingAgainAt(back);
          softly
              .assertThat(allBack)
              .as("every client writes again within 10 s of the database's return")
              .isLessThanOrEqualTo(back + TimeUnit.MILLISECONDS.toNanos(BACK_WITHIN_MS));
          softly
              .assertThat(all.stream().filter(a -> a.start() > allBack && a.status() != 201))
              .as("failed requests once every client was writing again")
              .isEmpty();
        });
  }

  /**
   * When the last client had its first insert after {@code since} acknowledged; MAX_VALUE: not yet.
   */
  private long allWritingAgainAt(long since) {
    long last = 0;
    for (int c = 0; c < CLIENTS; c++) {
      int id = c;
      long first =
          acks.values().stream()
              .filter(a -> a.client() == id && a.at() > since)
              .mapToLong(Ack::at)
              .min()
              .orElse(Long.MAX_VALUE);
      last = Math.max(last, first);
    }
    return last;
  }

  /** One client: inserts {@code {c, n}} for n = 0, 1, …, each until it is acknowledged. */
  private void write(int c) {
    for (long n = 0; running.get(); n++) {
      String key = "writer-crash-" + c + "-" + n;
      JsonObject body = new JsonObject().put("c", c).put("n", n);
      PlinthClient keyed = client.withHeader("Idempotency-Key", key);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) { // past it the test fails: never acknowledged
        long start = System.nanoTime();
        Response response;
        try {
          response = keyed.postJson(RECORDS, body);
        } catch (RuntimeException e) {
          attempts.add(
              new Attempt(c, n, start, System.nanoTime(), -1, null, null, false, e.toString()));
          pause();
          continue;
        }
        long end = System.nanoTime();
        boolean problem = response.isProblem();
        attempts.add(
            new Attempt(
                c,
                n,
                start,
                end,
                response.status(),
                problem ? response.json().getString("code") : null,
                response.header("Retry-After").orElse(null),
                problem,
                null));
        if (response.status() == 201) {
          String id = response.json().getString("id");
          acks.put(id, new Ack(c, n, id, end));
          break;
        }
        pause();
      }
    }
  }

  private long acksOf(int c) {
    return acks.values().stream().filter(ack -> ack.client() == c).count();
  }

  private long refusalsOf(int c, long since) {
    return attempts.stream()
        .filter(a -> a.client() == c && a.start() > since && a.status() != 201)
        .count();
  }

  /** Waits until {@code count} of every client reaches {@code atLeast}. */
  private static void awaitEveryClient(
      String what, long atLeast, java.util.function.IntToLongFunction count) {
    Eventually.poll(
        Duration.ofSeconds(60),
        () -> java.util.stream.IntStream.range(0, CLIENTS).mapToLong(count).min().orElse(0),
        least -> least >= atLeast);
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the database holds after the restart, by record id. */
  private Map<String, Ack> storedRecords() throws Exception {
    Map<String, Ack> rows = new HashMap<>();
    try (Connection db = plane.database.connect();
        Statement sql = db.createStatement();
        ResultSet result =
            sql.executeQuery("SELECT id::text, c, n FROM " + tenant.schema() + ".items")) {
      while (result.next()) {
        String id = result.getString(1);
        rows.put(id, new Ack(result.getInt(2), result.getLong(3), id, 0));
      }
    }
    return rows;
  }

  private static void report(
      List<Attempt> all,
      long crashStart,
      long crashed,
      long restartStart,
      long back,
      Long ready,
      long allBack) {
    long t0 = crashStart;
    Map<String, Long> outcomes =
        all.stream()
            .collect(
                Collectors.groupingBy(
                    a -> a.status() + (a.code() == null ? "" : " " + a.code()),
                    TreeMap::new,
                    Collectors.counting()));
    long lastFailure =
        all.stream().filter(a -> a.status() != 201).mapToLong(Attempt::end).max().orElse(back);
    System.out.printf(
        "WriterCrashIT: kill took %d ms; down %d ms; restart (crash recovery) took %d ms;"
            + " last failed request ended %d ms after the database's return; every client"
            + " writing again %s ms and ready %s ms after it;"
            + " %d requests: %s%n",
        ms(crashed - t0),
        ms(back - crashed),
        ms(back - restartStart),
        ms(lastFailure - back),
        allBack == Long.MAX_VALUE ? "never" : String.valueOf(ms(allBack - back)),
        ready == null ? "never" : String.valueOf(ms(ready - back)),
        all.size(),
        outcomes);
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
