package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.plinth.client.admin.NewTenant;
import io.plinth.client.admin.PlinthAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK against what a real platform does under load: pages stay exact while records are
 * inserted, and real 429 and 503 answers are waited out per their {@code Retry-After}. The
 * data-plane node lets no request of a tenant wait for a permit ({@code plinth.tenant.queue=0}), so
 * a tenant in busy-time debt gets 503 {@code tenant_busy} at once instead of queueing.
 */
class PlinthClientResilienceIT {

  private static Platform platform;
  private static PlinthAdmin admin;

  @BeforeAll
  static void start() {
    platform = Platform.withDataPlaneSettings(Map.of("plinth.tenant.queue", "0"));
    admin = PlinthAdmin.builder(platform.adminUrl()).operatorKey(platform.operatorKey()).build();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static PlinthClient client(String key, RetryPolicy retries, RecordingHttpClient http) {
    PlinthClient.Builder builder =
        PlinthClient.builder(platform.dataPlaneUrl())
            .apiKey(key)
            .retryPolicy(retries)
            .timeout(Duration.ofSeconds(20));
    return (http == null ? builder : builder.httpClient(http)).build();
  }

  @Test
  void aKeysetScanSeesEveryEarlierRecordOnceWhileAnotherThreadInserts() throws Exception {
    Platform.TenantKeys tenant = platform.newTenant();
    PlinthClient client = client(tenant.secretKey(), RetryPolicy.DEFAULT, null);
    client.createCollection(
        CollectionDefinition.named("events")
            .field(CollectionDefinition.Field.of("n", "integer").asIndexed()));
    Records events = client.records("events");
    List<String> before =
        events
            .insertAll(IntStream.range(0, 200).mapToObj(i -> Map.of("n", i * 10)).toList())
            .stream()
            .map(r -> r.get("id").asText())
            .toList();

    // Between two pages the scan hands the cursor's value to the inserter thread and waits until
    // it has inserted one record sorted before the cursor, one just after it and one at the end.
    Semaphore turn = new Semaphore(0);
    Semaphore inserted = new Semaphore(0);
    long[] cursor = new long[1];
    List<String> sortedBefore = new CopyOnWriteArrayList<>();
    List<String> sortedAfter = new CopyOnWriteArrayList<>();
    List<Throwable> inserterFailures = new CopyOnWriteArrayList<>();
    Thread inserter =
        new Thread(
            () -> {
              try {
                for (int round = 0; ; round++) {
                  if (!turn.tryAcquire(60, TimeUnit.SECONDS)) {
                    return;
                  }
                  if (cursor[0] == Long.MIN_VALUE) {
                    return;
                  }
                  // With keys, so that a 503 of this node (it queues nothing) is retried.
                  String key = "scan-" + round + "-";
                  sortedBefore.add(events.insert(Map.of("n", -1 - round), key + "a").id());
                  sortedAfter.add(events.insert(Map.of("n", cursor[0] + 5), key + "b").id());
                  sortedAfter.add(events.insert(Map.of("n", 100_000 + round), key + "c").id());
                  inserted.release();
                }
              } catch (Throwable e) {
                inserterFailures.add(e);
                inserted.release();
              }
            },
            "inserter");
    inserter.start();

    List<JsonNode> seen = new ArrayList<>();
    int perPage = 20;
    for (JsonNode record : events.query().orderAsc("n").limit(perPage)) {
      seen.add(record);
      if (seen.size() % perPage == 0 && seen.size() <= before.size()) {
        cursor[0] = record.get("n").asLong();
        turn.release();
        assertThat(inserted.tryAcquire(60, TimeUnit.SECONDS)).isTrue();
      }
    }
    cursor[0] = Long.MIN_VALUE;
    turn.release();
    inserter.join(10_000);
    assertThat(inserterFailures).isEmpty();

    List<String> ids = seen.stream().map(r -> r.get("id").asText()).toList();
    assertThat(new HashSet<>(ids)).as("no record seen twice").hasSameSizeAs(ids);
    Map<String, Integer> times = new HashMap<>();
    ids.forEach(id -> times.merge(id, 1, Integer::sum));
    assertThat(before).allSatisfy(id -> assertThat(times.get(id)).as("seen once: %s", id).isOne());
    assertThat(seen).extracting(r -> r.get("n").asLong()).isSorted();
    assertThat(sortedBefore)
        .as("inserts behind the cursor")
        .hasSize(10)
        .noneMatch(times::containsKey);
    assertThat(sortedAfter).as("inserts ahead of the cursor").allMatch(times::containsKey);
  }

  @Test
  void a429IsWaitedOutPerRetryAfterButAPostWithoutIdempotencyKeyIsNot() {
    String slug = "rl-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        admin.tenants().create(NewTenant.of(slug, "Rate limited", "pro")).keys().stream()
            .filter(k -> k.key().kind() == io.plinth.client.admin.KeyKind.SECRET)
            .findFirst()
            .orElseThrow()
            .plaintext();
    admin.tenants().waitUntilActive(slug, Duration.ofSeconds(60));
    client(key, RetryPolicy.DEFAULT, null)
        .createCollection(CollectionDefinition.named("notes").field("n", "integer"));
    admin.tenants().changeLimits(slug, Map.of("ratePerSecond", 2, "ratePerKeyPerSecond", 1));

    PlinthClient once = client(key, RetryPolicy.NONE, null);
    RecordingHttpClient http = new RecordingHttpClient();
    PlinthClient retrying = client(key, RetryPolicy.DEFAULT, http);

    // The limit is per one-second window: spend the window's budget, then call at once. Should the
    // window end in between, the call is not refused; try again then.
    List<RecordingHttpClient.Exchange> attempts = List.of();
    long elapsedNanos = 0;
    for (int tries = 0; tries < 10 && (attempts.isEmpty() || attempts.get(0).status() != 429); ) {
      if (spendTheWindow(once)) {
        tries++;
        http.clear();
        long startedAt = System.nanoTime();
        retrying.listCollections();
        elapsedNanos = System.nanoTime() - startedAt;
        attempts = http.exchanges();
      }
    }
    assertThat(attempts).as("attempts of one call").hasSizeGreaterThanOrEqualTo(2);
    assertThat(attempts.get(0).status()).isEqualTo(429);
    assertThat(attempts.get(attempts.size() - 1).status()).isEqualTo(200);
    long askedNanos =
        attempts.stream()
            .filter(a -> a.status() == 429)
            .mapToLong(
                a -> Duration.ofSeconds(Long.parseLong(a.retryAfter().orElseThrow())).toNanos())
            .sum();
    assertThat(askedNanos).isPositive();
    assertThat(elapsedNanos).as("waited what Retry-After asked").isGreaterThanOrEqualTo(askedNanos);

    // An insert without an Idempotency-Key could be a second insert: one attempt only.
    boolean refusedOnce = false;
    for (int tries = 0; tries < 10 && !refusedOnce; tries++) {
      if (spendTheWindow(once)) {
        http.clear();
        try {
          retrying.records("notes").insert(Map.of("n", 1));
        } catch (PlinthException e) {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.code()).isEqualTo("rate_limited");
          assertThat(http.exchanges()).as("not retried").hasSize(1);
          refusedOnce = true;
        }
      }
    }
    assertThat(refusedOnce).as("a refused insert seen").isTrue();

    // With an Idempotency-Key it is retried until it goes through.
    boolean retriedInsert = false;
    for (int tries = 0; tries < 10 && !retriedInsert; tries++) {
      if (spendTheWindow(once)) {
        http.clear();
        Record record = retrying.records("notes").insert(Map.of("n", 2), "note-" + tries);
        assertThat(record.id()).isNotNull();
        retriedInsert = http.exchanges().get(0).status() == 429 && http.exchanges().size() >= 2;
      }
    }
    assertThat(retriedInsert).as("an insert with an Idempotency-Key retried after 429").isTrue();
  }

  /** Sends requests until one is refused with 429; false if none is within a few. */
  private static boolean spendTheWindow(PlinthClient once) {
    for (int i = 0; i < 20; i++) {
      try {
        once.listCollections();
      } catch (PlinthException e) {
        if (e.status() == 429) {
          return true;
        }
        throw e;
      }
    }
    return false;
  }

  /** Inserts the batch once the tenant may run again (not retried by the SDK: it is a POST). */
  private static void costly(PlinthClient client, List<Map<String, Object>> batch) {
    for (int tries = 1; ; tries++) {
      try {
        client.records("rows").insertAll(batch);
        return;
      } catch (PlinthException e) {
        if (e.status() != 503 || tries == 20) {
          throw e;
        }
        sleep(Duration.ofSeconds(1));
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a503TenantBusyIsWaitedOutPerRetryAfter() {
    String slug = "busy-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        admin.tenants().create(NewTenant.of(slug, "Busy", "pro")).keys().stream()
            .filter(k -> k.key().kind() == io.plinth.client.admin.KeyKind.SECRET)
            .findFirst()
            .orElseThrow()
            .plaintext();
    admin.tenants().waitUntilActive(slug, Duration.ofSeconds(60));
    PlinthClient setup =
        client(key, new RetryPolicy(20, Duration.ofMillis(200), Duration.ofSeconds(5)), null);
    setup.createCollection(
        CollectionDefinition.named("rows").field("label", "text").field("n", "integer"));
    // 5 ms of database time per second: one large batch puts the tenant in debt for about 2 s.
    admin.tenants().changeLimits(slug, Map.of("busyMsPerSecond", 5));

    PlinthClient once = client(key, RetryPolicy.NONE, null);
    RecordingHttpClient http = new RecordingHttpClient();
    PlinthClient retrying =
        client(key, new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(10)), http);
    List<Map<String, Object>> batch =
        IntStream.range(0, 1_000)
            .mapToObj(i -> Map.<String, Object>of("label", "row " + i + " ".repeat(50), "n", i))
            .toList();

    PlinthException busy = null;
    List<RecordingHttpClient.Exchange> attempts = List.of();
    long elapsedNanos = 0;
    for (int tries = 0;
        tries < 10 && (attempts.isEmpty() || attempts.get(0).status() != 503);
        tries++) {
      costly(setup, batch); // the balance goes below zero
      try {
        once.records("rows").query().limit(1).page();
        continue; // the new limit not seen yet, or the batch was cheap: again
      } catch (PlinthException e) {
        busy = e;
      }
      http.clear();
      long startedAt = System.nanoTime();
      retrying.records("rows").query().limit(1).page();
      elapsedNanos = System.nanoTime() - startedAt;
      attempts = http.exchanges();
    }
    assertThat(busy).isNotNull();
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.code()).isEqualTo("tenant_busy");
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
    assertThat(attempts.get(0).status()).isEqualTo(503);
    assertThat(attempts.get(attempts.size() - 1).status()).isEqualTo(200);
    long askedNanos =
        attempts.stream()
            .filter(a -> a.status() == 503)
            .mapToLong(
                a -> Duration.ofSeconds(Long.parseLong(a.retryAfter().orElseThrow())).toNanos())
            .sum();
    assertThat(elapsedNanos).as("waited what Retry-After asked").isGreaterThanOrEqualTo(askedNanos);

    // A batch insert is a POST without an Idempotency-Key: refused once, not retried.
    costly(setup, batch);
    http.clear();
    assertThatThrownBy(() -> retrying.records("rows").insertAll(List.of(Map.of("n", 1))))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(http.exchanges()).as("not retried").hasSize(1);
  }
}
