package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Idempotency-Key} on inserts, as a client retrying after a lost answer sees it: the retry
 * inserts nothing and gets the first answer again, also when both requests arrive at once; the key
 * with another request is refused; a malformed key changes nothing; after a day the key is free.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotentInsertsIT {

  private static final String NOTES = "/v1/collections/notes/records";

  private DataPlane plane;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
  }

  /** A tenant with collection {@code notes} (text), any user's to write and read. */
  private DataPlane.Tenant tenantWithNotes() {
    DataPlane.Tenant tenant = plane.newTenant();
    Response created =
        plane
            .as(tenant.secretKey())
            .postJson(
                "/v1/collections",
                DataPlane.collection("notes", "text:text")
                    .put(
                        "rules",
                        new JsonObject()
                            .put("read", "authenticated")
                            .put("write", "authenticated")));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return tenant;
  }

  private long count(DataPlane.Tenant tenant) {
    Response page = plane.as(tenant.secretKey()).get(NOTES + "?count=exact&limit=1");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    return page.json().getLong("total");
  }

  private static PlinthClient keyed(PlinthClient client, String key) {
    return client.withHeader("Idempotency-Key", key);
  }

  @Test
  void aRetriedInsertInsertsOnceAndGetsTheFirstAnswerAgain() {
    DataPlane.Tenant tenant = tenantWithNotes();
    PlinthClient alice = keyed(plane.asUser(tenant, "alice"), UUID.randomUUID().toString());
    JsonObject note = new JsonObject().put("text", "once");

    Response first = alice.postJson(NOTES, note);
    Response retry = alice.postJson(NOTES, note);

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isEmpty();
    assertThat(retry.status()).as(retry.body()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
    assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
    assertThat(count(tenant)).isEqualTo(1);
  }

  @Test
  void aRetriedBatchInsertsItsRecordsOnce() {
    DataPlane.Tenant tenant = tenantWithNotes();
    PlinthClient secret = keyed(plane.as(tenant.secretKey()), "batch-1");
    String batch =
        new JsonArray()
            .add(new JsonObject().put("text", "a"))
            .add(new JsonObject().put("text", "b"))
            .encode();

    Response first = secret.post(NOTES, "application/json", batch);
    Response retry = secret.post(NOTES, "application/json", batch);

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(retry.status()).as(retry.body()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).hasValue("true");
    assertThat(new JsonArray(retry.body())).isEqualTo(new JsonArray(first.body()));
    assertThat(count(tenant)).isEqualTo(2);
  }

  @Test
  void requestsWithTheSameKeyAtOnceInsertOnce() throws Exception {
    DataPlane.Tenant tenant = tenantWithNotes();
    PlinthClient secret = keyed(plane.as(tenant.secretKey()), "at-once");
    JsonObject note = new JsonObject().put("text", "raced");
    List<CompletableFuture<Response>> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(secret.postJsonAsync(NOTES, note));
    }
    List<Response> answers = new ArrayList<>();
    for (CompletableFuture<Response> answer : sent) {
      answers.add(answer.get(30, TimeUnit.SECONDS));
    }

    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(201));
    assertThat(answers).extracting(Response::body).containsOnly(answers.get(0).body());
    assertThat(answers)
        .filteredOn(a -> a.header("Idempotent-Replayed").isEmpty())
        .as("answers that inserted")
        .hasSize(1);
    assertThat(count(tenant)).isEqualTo(1);
  }

  @Test
  void theKeyWithAnotherRequestIsRefusedAndInsertsNothing() {
    DataPlane.Tenant tenant = tenantWithNotes();
    PlinthClient alice = keyed(plane.asUser(tenant, "alice"), "reused");
    assertThat(alice.postJson(NOTES, new JsonObject().put("text", "first")).status())
        .isEqualTo(201);

    Response otherBody = alice.postJson(NOTES, new JsonObject().put("text", "second"));
    assertThat(otherBody.status()).as(otherBody.body()).isEqualTo(422);
    assertThat(otherBody.json().getString("code")).isEqualTo("idempotency_key_reused");
    // Another user's request is another request too: alice's answer is never bob's.
    Response otherUser =
        keyed(plane.asUser(tenant, "bob"), "reused")
            .postJson(NOTES, new JsonObject().put("text", "first"));
    assertThat(otherUser.status()).as(otherUser.body()).isEqualTo(422);
    assertThat(otherUser.body()).doesNotContain("alice");
    assertThat(count(tenant)).isEqualTo(1);
  }

  @Test
  void aMalformedKeyIsRefusedAndInsertsNothing() {
    DataPlane.Tenant tenant = tenantWithNotes();
    PlinthClient secret = plane.as(tenant.secretKey());
    for (String bad : List.of("two words", "k".repeat(256), "")) {
      Response refused = keyed(secret, bad).postJson(NOTES, new JsonObject().put("text", "x"));
      assertThat(refused.status()).as("key '%s': %s", bad, refused.body()).isEqualTo(400);
      assertThat(refused.json().getString("code")).isEqualTo("invalid_idempotency_key");
    }
    assertThat(keyed(secret, "k".repeat(255)).postJson(NOTES, new JsonObject().put("text", "x")))
        .extracting(Response::status)
        .isEqualTo(201);
    assertThat(count(tenant)).isEqualTo(1);
  }

  @Test
  void aFailedInsertKeepsNoAnswerSoTheRetryRunsAgain() {
    DataPlane.Tenant tenant = tenantWithNotes();
    PlinthClient secret = keyed(plane.as(tenant.secretKey()), "after-error");
    JsonObject note = new JsonObject().put("text", "late");
    Response missing = secret.postJson("/v1/collections/later/records", note);
    assertThat(missing.status()).isEqualTo(404);
    Response later =
        plane
            .as(tenant.secretKey())
            .postJson("/v1/collections", DataPlane.collection("later", "text:text"));
    assertThat(later.status()).as(later.body()).isEqualTo(201);

    Response retry = secret.postJson("/v1/collections/later/records", note);
    assertThat(retry.status()).as(retry.body()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEmpty();
  }

  @Test
  void keysAreFreeAgainAfterADay() throws Exception {
    DataPlane.Tenant tenant = tenantWithNotes();
    PlinthClient secret = keyed(plane.as(tenant.secretKey()), "daily");
    assertThat(secret.postJson(NOTES, new JsonObject().put("text", "monday")).status())
        .isEqualTo(201);

    plane.expireIdempotencyKeys(tenant);

    Response tuesday = secret.postJson(NOTES, new JsonObject().put("text", "tuesday"));
    assertThat(tuesday.status()).as(tuesday.body()).isEqualTo(201);
    assertThat(tuesday.header("Idempotent-Replayed")).isEmpty();
    assertThat(count(tenant)).isEqualTo(2);
  }
}
