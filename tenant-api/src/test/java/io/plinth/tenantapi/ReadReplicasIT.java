package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.EventStream;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestNodes;
import io.plinth.testing.TestReplication;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reads from a real hot standby ({@link TestReplication}): queries that may be stale are served by
 * the replica, a read with the consistency token of a write sees the write while the replica's
 * replay is held behind, a replica that lags too far or is killed leaves the rotation (reads keep
 * succeeding from the writer) and comes back when it has caught up, and {@code /health/ready} shows
 * it all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadReplicasIT {

  private static final String NOTES = "/v1/collections/notes/records";
  private static final String TOKEN = "Plinth-Consistency-Token";

  private TestReplication replication;
  private DataPlane plane;

  /** A node whose replica never lags too far, so it keeps serving while replay is paused. */
  private PlinthClient patient;

  /** A node whose replica leaves the rotation after 1 s of lag. */
  private PlinthClient strict;

  @BeforeAll
  void start() {
    replication = TestReplication.start();
    Map<String, String> readers =
        Map.of(
            "plinth.db.reader-urls",
            replication.standbyUrl(),
            "plinth.db.replica-check-interval",
            "100ms",
            "plinth.db.replica-max-lag",
            "1h");
    plane = new DataPlane(replication.database(), readers, Map.of(), Map.of());
    // No rate limit: the readers of the kill test go as fast as the machine allows, and on a quiet
    // one that passed the enterprise plan's 1,000 requests per second.
    DataPlane.Tenant tenant = plane.newTenant("internal");
    patient = plane.as(tenant.secretKey());
    TestNodes.Node strictNode =
        plane.anotherDataPlaneNode(Map.of("plinth.db.replica-max-lag", "1s"));
    strict = strictNode.client().withHeader("apikey", tenant.secretKey());
    assertThat(patient.postJson("/v1/collections", DataPlane.collection("notes", "title:text")))
        .extracting(Response::status)
        .isEqualTo(201);
  }

  @AfterEach
  void replayAgain() {
    replication.startStandby();
    replication.resumeReplay();
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
    if (replication != null) {
      replication.close();
    }
  }

  @Test
  void aReadWithTheTokenOfAWriteSeesItWhileTheReplicaIsHeldBehind() {
    awaitInRotation(patient);
    replication.awaitCaughtUp(); // the collection's table is on the replica
    replication.pauseReplay();

    Response written = patient.postJson(NOTES, new JsonObject().put("title", "held"));
    assertThat(written.status()).isEqualTo(201);
    String token = written.header(TOKEN).orElseThrow();
    assertThat(token).matches("[0-9A-F]+/[0-9A-F]+");

    assertThat(titles(patient.get(NOTES)))
        .as("a read that may be stale is served by the replica, which has not replayed the write")
        .doesNotContain("held");
    double writerReads = reads(patient, "plinth-writer");
    assertThat(titles(patient.withHeader(TOKEN, token).get(NOTES)))
        .as("the same read with the write's token")
        .contains("held");
    assertThat(reads(patient, "plinth-writer"))
        .as("served by the writer, as no replica replayed past the token")
        .isEqualTo(writerReads + 1);
    assertThat(titles(patient.withHeader(TOKEN, "not a position").get(NOTES)))
        .as("a token that cannot be read asks for the writer, not for a stale answer")
        .contains("held");

    Response patched =
        patient.patch(
            NOTES + "/" + written.json().getString("id"), new JsonObject().put("title", "held 2"));
    String later = patched.header(TOKEN).orElseThrow();
    assertThat(titles(patient.withHeader(TOKEN, later).get(NOTES))).contains("held 2");
    String etag = patched.header("ETag").orElseThrow();
    Response byId = patient.get(NOTES + "/" + written.json().getString("id"));
    assertThat(byId.json().getString("title"))
        .as("GET by id, without a token: the record cache fills from the writer")
        .isEqualTo("held 2");
    assertThat(byId.header("ETag")).contains(etag);
    assertThat(
            patient
                .withHeader("If-None-Match", etag)
                .get(NOTES + "/" + written.json().getString("id"))
                .status())
        .isEqualTo(304);

    replication.resumeReplay();
    double replicaReads = reads(patient, "plinth-reader-0");
    assertThat(titles(patient.withHeader(TOKEN, later).get(NOTES))).contains("held 2");
    assertThat(reads(patient, "plinth-reader-0"))
        .as("once the replica has replayed past the token, it serves the read")
        .isEqualTo(replicaReads + 1);
  }

  @Test
  void changeStreamsFollowTheWriterWhileTheReplicaIsHeldBehind() {
    awaitInRotation(patient);
    replication.awaitCaughtUp();
    try (EventStream stream = patient.events("/v1/collections/notes/changes")) {
      assertThat(stream.status()).isEqualTo(200);
      replication.pauseReplay();
      String id =
          patient.postJson(NOTES, new JsonObject().put("title", "streamed")).json().getString("id");
      patient.patch(NOTES + "/" + id, new JsonObject().put("title", "streamed 2"));
      List<EventStream.Event> events = stream.take(2, Duration.ofSeconds(10));
      assertThat(events).extracting(EventStream.Event::type).containsExactly("insert", "update");
      assertThat(events.get(1).json().getJsonObject("record").getString("title"))
          .isEqualTo("streamed 2");
    }
  }

  @Test
  void aReplicaThatLagsTooFarLeavesTheRotationAndComesBackWhenCaughtUp() {
    awaitInRotation(strict);
    replication.pauseReplay();
    patient.postJson(NOTES, new JsonObject().put("title", "while lagging"));

    JsonObject lagging = awaitReplicaState(strict, "lagging");
    assertThat(lagging.getDouble("lagSeconds")).isGreaterThan(1.0);
    assertThat(strict.ready().status())
        .as("the writer serves: the node stays ready")
        .isEqualTo(200);
    assertThat(replicaMetric(strict, "plinth_db_replica_lag_seconds")).isGreaterThan(1.0);
    assertThat(replicaMetric(strict, "plinth_db_replica_in_rotation")).isZero();
    assertThat(titles(strict.get(NOTES)))
        .as("without the replica, a read without a token is served fresh by the writer")
        .contains("while lagging");

    replication.resumeReplay();
    JsonObject back = awaitReplicaState(strict, "in_rotation");
    assertThat(back.getDouble("lagSeconds")).isLessThanOrEqualTo(1.0);
    assertThat(replicaMetric(strict, "plinth_db_replica_in_rotation")).isEqualTo(1.0);
  }

  @Test
  void readsKeepSucceedingWhenTheReplicaIsKilledUnderLoad() throws Exception {
    awaitInRotation(patient);
    replication.awaitCaughtUp();
    double replicaReads = reads(patient, "plinth-reader-0");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      readers.add(
          CompletableFuture.runAsync(
              () -> {
                while (running.get()) {
                  Response page = patient.get(NOTES);
                  if (page.status() == 200) {
                    ok.incrementAndGet();
                  } else {
                    failures.add(page.status() + " " + page.body());
                  }
                }
              }));
    }
    Eventually.poll(
        Duration.ofSeconds(30), () -> reads(patient, "plinth-reader-0"), n -> n > replicaReads);
    replication.killStandby();
    awaitReplicaState(patient, "down");
    int readsAtDown = ok.get();
    Eventually.poll(Duration.ofSeconds(30), ok::get, n -> n > readsAtDown + 20);
    running.set(false);
    for (CompletableFuture<Void> reader : readers) {
      reader.get();
    }
    assertThat(failures).as("reads failed when the replica was killed").isEmpty();
    assertThat(ok.get()).isGreaterThan(20);
    assertThat(patient.ready().status()).isEqualTo(200);

    replication.startStandby();
    awaitReplicaState(patient, "in_rotation");
  }

  private static void awaitInRotation(PlinthClient node) {
    awaitReplicaState(node, "in_rotation");
  }

  /** The node's report on its one replica, once it has {@code state}. */
  private static JsonObject awaitReplicaState(PlinthClient node, String state) {
    return Eventually.poll(
        Duration.ofSeconds(30),
        () ->
            node.ready()
                .json()
                .getJsonObject("checks")
                .getJsonObject("postgresql")
                .getJsonArray("replicas")
                .getJsonObject(0),
        replica -> state.equals(replica.getString("state")));
  }

  private static List<String> titles(Response page) {
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    return page.json().getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getString("title"))
        .toList();
  }

  private static double reads(PlinthClient node, String pool) {
    return metric(node, "plinth_db_reads_total", pool);
  }

  private static double replicaMetric(PlinthClient node, String name) {
    return metric(node, name, "plinth-reader-0");
  }

  private static double metric(PlinthClient node, String name, String pool) {
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + name
                    + "\\{[^}]*pool_name=\""
                    + Pattern.quote(pool)
                    + "\"[^}]*\\} ([0-9.eE+-]+)$")
            .matcher(node.metrics().body());
    assertThat(m.find()).as(name + " of " + pool).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
