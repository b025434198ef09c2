package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.EventStream;
import io.plinth.testing.EventStream.Event;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /v1/collections/{c}/changes} over HTTP: events for inserts, updates and deletes in
 * order, from any node's writes; resumption with {@code Last-Event-ID} that misses nothing and
 * repeats nothing, also under concurrent writers; the read rule; pruned history answering 410.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangesApiIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private DataPlane plane;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
  }

  private DataPlane.Tenant tenantWith(String collection, String readRule, String writeRule) {
    DataPlane.Tenant tenant = plane.newTenant();
    Response created =
        plane
            .as(tenant.secretKey())
            .postJson(
                "/v1/collections",
                DataPlane.collection(collection, "title:text", "n:integer")
                    .put("rules", new JsonObject().put("read", readRule).put("write", writeRule)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return tenant;
  }

  @Test
  void insertsUpdatesAndDeletesArriveInOrderAndResumeAfterTheLastEventSeen() {
    DataPlane.Tenant tenant = tenantWith("items", "public", "secret");
    PlinthClient secret = plane.as(tenant.secretKey());
    String changes = "/v1/collections/items/changes";
    try (EventStream stream = plane.as(tenant.publishableKey()).events(changes)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/event-stream");

      String records = "/v1/collections/items/records";
      String id =
          secret.postJson(records, new JsonObject().put("title", "lamp")).json().getString("id");
      secret.patch(records + "/" + id, new JsonObject().put("n", 3));
      assertThat(secret.delete(records + "/" + id).status()).isEqualTo(204);

      List<Event> events = stream.take(3, WAIT);
      assertThat(events).extracting(Event::type).containsExactly("insert", "update", "delete");
      JsonObject inserted = events.get(0).json();
      assertThat(inserted.getString("op")).isEqualTo("insert");
      assertThat(inserted.getString("collection")).isEqualTo("items");
      assertThat(inserted.getString("id")).isEqualTo(id);
      assertThat(inserted.getJsonObject("record").getString("title")).isEqualTo("lamp");
      assertThat(inserted.getJsonObject("record").getLong("version")).isEqualTo(1);
      assertThat(events.get(1).json().getJsonObject("record").getInteger("n")).isEqualTo(3);
      assertThat(events.get(1).json().getLong("version")).isEqualTo(2);
      assertThat(events.get(2).json().getValue("record")).isNull();

      // Resuming after the first event gives exactly the two after it.
      try (EventStream resumed =
          plane
              .as(tenant.publishableKey())
              .withHeader("Last-Event-ID", events.get(0).id())
              .events(changes)) {
        assertThat(resumed.take(2, WAIT))
            .extracting(Event::id)
            .containsExactly(events.get(1).id(), events.get(2).id());
        assertThat(resumed.next(Duration.ofMillis(1500))).isNull();
      }
    }
  }

  @Test
  void aStreamOnOneNodeSeesWritesMadeThroughAnother() {
    DataPlane.Tenant tenant = tenantWith("items", "public", "secret");
    PlinthClient otherNode = plane.anotherDataPlaneNode().withHeader("apikey", tenant.secretKey());
    try (EventStream stream =
        plane.as(tenant.publishableKey()).events("/v1/collections/items/changes")) {
      assertThat(stream.status()).isEqualTo(200);
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long sent = System.nanoTime();
        otherNode.postJson("/v1/collections/items/records", new JsonObject().put("n", i));
        Event event = stream.next(WAIT);
        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
        assertThat(event).as("event for write " + i).isNotNull();
        assertThat(event.json().getJsonObject("record").getInteger("n")).isEqualTo(i);
      }
      // Notified, not polled: well under the one-second poll.
      latencies.sort(Long::compare);
      assertThat(latencies.get(latencies.size() / 2)).as("median ms " + latencies).isLessThan(500);
    }
  }

  @Test
  void concurrentWritersLoseNoChangeAndAResumeRepeatsNone() throws Exception {
    DataPlane.Tenant tenant = tenantWith("items", "public", "secret");
    PlinthClient secret = plane.as(tenant.secretKey());
    String changes = "/v1/collections/items/changes";
    int writers = 16;
    int perWriter = 25;
    try (EventStream stream = plane.as(tenant.publishableKey()).events(changes)) {
      assertThat(stream.status()).isEqualTo(200);
      List<CompletableFuture<Set<String>>> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        running.add(
            CompletableFuture.supplyAsync(
                () -> {
                  Set<String> ids = new HashSet<>();
                  for (int i = 0; i < perWriter; i++) {
                    Response r =
                        secret.postJson(
                            "/v1/collections/items/records",
                            new JsonObject().put("title", "w" + writer).put("n", i));
                    assertThat(r.status()).isEqualTo(201);
                    ids.add(r.json().getString("id"));
                  }
                  return ids;
                }));
      }
      Set<String> written = new HashSet<>();
      for (CompletableFuture<Set<String>> writer : running) {
        written.addAll(writer.get(60, TimeUnit.SECONDS));
      }
      List<Event> events = stream.take(written.size(), Duration.ofSeconds(30));
      assertThat(events).extracting(e -> e.json().getString("id")).doesNotHaveDuplicates();
      assertThat(events.stream().map(e -> e.json().getString("id")).toList())
          .containsExactlyInAnyOrderElementsOf(written);
      assertThat(stream.next(Duration.ofMillis(1500))).isNull();

      // Resume from the middle: exactly the rest, in the same order.
      int middle = events.size() / 2;
      try (EventStream resumed =
          plane
              .as(tenant.publishableKey())
              .withHeader("Last-Event-ID", events.get(middle).id())
              .events(changes)) {
        List<Event> rest = resumed.take(events.size() - middle - 1, WAIT);
        assertThat(rest)
            .extracting(Event::id)
            .containsExactlyElementsOf(
                events.subList(middle + 1, events.size()).stream().map(Event::id).toList());
      }
    }
  }

  @Test
  void ownerStreamsCarryOnlyTheUsersOwnRows() {
    DataPlane.Tenant tenant = tenantWith("notes", "owner", "owner");
    String changes = "/v1/collections/notes/changes";
    Response anonymous = plane.as(tenant.publishableKey()).get(changes);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().getString("code")).isEqualTo("user_token_required");

    try (EventStream alice = plane.asUser(tenant, "alice").events(changes)) {
      assertThat(alice.status()).isEqualTo(200);
      plane
          .asUser(tenant, "bob")
          .postJson("/v1/collections/notes/records", new JsonObject().put("title", "bob's"));
      plane
          .asUser(tenant, "alice")
          .postJson("/v1/collections/notes/records", new JsonObject().put("title", "alice's"));
      Event event = alice.next(WAIT);
      assertThat(event.json().getJsonObject("record").getString("title")).isEqualTo("alice's");
      assertThat(alice.next(Duration.ofMillis(1500))).isNull();
    }
  }

  @Test
  void badOrPrunedResumePointsAreRefused() throws Exception {
    DataPlane.Tenant tenant = tenantWith("items", "public", "secret");
    PlinthClient app = plane.as(tenant.publishableKey());
    String changes = "/v1/collections/items/changes";
    EventStream bad = app.withHeader("Last-Event-ID", "1; DROP TABLE items").events(changes);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.problem().getString("code")).isEqualTo("invalid_last_event_id");
    assertThat(app.events("/v1/collections/nope/changes").status()).isEqualTo(404);

    String first;
    try (EventStream stream = app.events(changes)) {
      plane
          .as(tenant.secretKey())
          .postJson("/v1/collections/items/records", new JsonObject().put("n", 1));
      plane
          .as(tenant.secretKey())
          .postJson("/v1/collections/items/records", new JsonObject().put("n", 2));
      first = stream.take(2, WAIT).get(0).id();
    }
    plane.expireChanges(tenant);
    EventStream expired = app.withHeader("Last-Event-ID", first).events(changes);
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.problem().getString("code")).isEqualTo("change_history_expired");
  }
}
