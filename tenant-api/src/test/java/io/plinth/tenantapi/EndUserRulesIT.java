package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code authenticated} and {@code owner} rules with end users' tokens (signed by a test key
 * the data plane trusts): owners are set on insert and rows are filtered by the token's subject in
 * every statement; bad tokens are refused.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndUserRulesIT {

  private static final String NOTES = "/v1/collections/notes/records";
  private DataPlane plane;
  private DataPlane.Tenant tenant;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    tenant = plane.newTenant();
    PlinthClient secret = plane.as(tenant.secretKey());
    assertThat(
            secret
                .postJson(
                    "/v1/collections",
                    DataPlane.collection("notes", "text:text", "n:integer")
                        .put("rules", new JsonObject().put("read", "owner").put("write", "owner")))
                .status())
        .isEqualTo(201);
    assertThat(
            secret
                .postJson(
                    "/v1/collections",
                    DataPlane.collection("posts", "text:text")
                        .put(
                            "rules",
                            new JsonObject()
                                .put("read", "authenticated")
                                .put("write", "authenticated")))
                .status())
        .isEqualTo(201);
  }

  private static JsonObject note(String text, int n) {
    return new JsonObject().put("text", text).put("n", n);
  }

  private static List<String> texts(Response page) {
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    return page.json().getJsonArray("items").stream()
        .map(i -> ((JsonObject) i).getString("text"))
        .sorted()
        .toList();
  }

  @Test
  void ownerRowsAreSeenAndChangedOnlyByTheirOwner() {
    PlinthClient alice = plane.asUser(tenant, "alice");
    PlinthClient bob = plane.asUser(tenant, "bob");

    Response mine = alice.postJson(NOTES, note("alice 1", 1));
    assertThat(mine.status()).as(mine.body()).isEqualTo(201);
    assertThat(mine.json().getString("owner")).isEqualTo("alice");
    String aliceId = mine.json().getString("id");
    Response batch =
        alice.post(
            NOTES,
            "application/json",
            new JsonArray().add(note("alice 2", 2)).add(note("alice 3", 3)).encode());
    assertThat(batch.status()).isEqualTo(201);
    assertThat(bob.postJson(NOTES, note("bob 1", 1)).json().getString("owner")).isEqualTo("bob");

    // Reads: each sees only their own rows, by id, by query and in the count.
    assertThat(texts(alice.get(NOTES))).containsExactly("alice 1", "alice 2", "alice 3");
    assertThat(texts(bob.get(NOTES))).containsExactly("bob 1");
    assertThat(bob.get(NOTES + "?count=exact&n=gte.1").json().getLong("total")).isEqualTo(1);
    assertThat(alice.get(NOTES + "/" + aliceId).status()).isEqualTo(200);
    assertThat(bob.get(NOTES + "/" + aliceId).json().getString("code"))
        .isEqualTo("record_not_found");

    // Writes: bob can neither change nor delete alice's row, and the owner is not writable.
    assertThat(bob.patch(NOTES + "/" + aliceId, new JsonObject().put("text", "mine")).status())
        .isEqualTo(404);
    assertThat(bob.delete(NOTES + "/" + aliceId).status()).isEqualTo(404);
    assertThat(alice.patch(NOTES + "/" + aliceId, new JsonObject().put("owner", "bob")).status())
        .isEqualTo(422);
    Response patched = alice.patch(NOTES + "/" + aliceId, new JsonObject().put("n", 10));
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().getString("owner")).isEqualTo("alice");

    // The secret key bypasses rules and sees everyone's rows.
    assertThat(texts(plane.as(tenant.secretKey()).get(NOTES)))
        .containsExactly("alice 1", "alice 2", "alice 3", "bob 1");
    assertThat(alice.delete(NOTES + "/" + aliceId).status()).isEqualTo(204);
  }

  @Test
  void authenticatedRowsAreSharedBetweenSignedInUsersOnly() {
    PlinthClient alice = plane.asUser(tenant, "alice");
    PlinthClient carol = plane.asUser(tenant, "carol");
    String posts = "/v1/collections/posts/records";
    Response created = alice.postJson(posts, new JsonObject().put("text", "hello"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getString("owner")).isEqualTo("alice");
    assertThat(texts(carol.get(posts))).contains("hello");
    assertThat(
            carol
                .patch(
                    posts + "/" + created.json().getString("id"),
                    new JsonObject().put("text", "hi"))
                .status())
        .isEqualTo(200);

    Response anonymous = plane.as(tenant.publishableKey()).get(posts);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().getString("code")).isEqualTo("user_token_required");
  }

  @Test
  void tokensThatDoNotVerifyForThisTenantAreRefused() {
    DataPlane.Tenant other = plane.newTenant();
    PlinthClient app = plane.as(tenant.publishableKey());
    List<String> bad =
        List.of(
            plane.tokens.token(other.slug(), "alice"), // another tenant's user
            plane.tokens.token(tenant.slug(), "alice", c -> c.put("exp", 1)), // expired
            plane.tokens.token(tenant.slug(), "alice", c -> c.put("aud", "account")),
            plane.tokens.token(tenant.slug(), "alice").replace('.', '!'),
            "not-a-token");
    for (String token : bad) {
      Response response = app.withBearer(token).get(NOTES);
      assertThat(response.status()).as(token).isEqualTo(401);
      assertThat(response.json().getString("code")).isEqualTo("invalid_user_token");
      assertThat(response.body()).doesNotContain(token);
    }
    // Even a public collection refuses a bad token: the client believes it is signed in.
    Response publicRead =
        plane.as(tenant.secretKey()).withBearer("not-a-token").get("/v1/collections");
    assertThat(publicRead.status()).isEqualTo(401);
    // A user token without an API key is not enough.
    Response noKey = plane.api.withBearer(plane.tokens.token(tenant.slug(), "alice")).get(NOTES);
    assertThat(noKey.json().getString("code")).isEqualTo("missing_api_key");
  }

  @Test
  void aPlansLimitsOnCollectionsAndFieldsAreEnforced() {
    DataPlane.Tenant free = plane.newTenant("free");
    PlinthClient secret = plane.as(free.secretKey());
    String[] thirtyOne = new String[31];
    for (int i = 0; i < thirtyOne.length; i++) {
      thirtyOne[i] = "f" + i + ":text";
    }
    Response tooWide =
        DataPlane.politely(
            () -> secret.postJson("/v1/collections", DataPlane.collection("wide", thirtyOne)));
    assertThat(tooWide.status()).as(tooWide.body()).isEqualTo(403);
    assertThat(tooWide.json().getString("code")).isEqualTo("field_limit");

    String[] thirty = java.util.Arrays.copyOf(thirtyOne, 30);
    assertThat(
            DataPlane.politely(
                    () -> secret.postJson("/v1/collections", DataPlane.collection("c0", thirty)))
                .status())
        .isEqualTo(201);
    Response widened =
        DataPlane.politely(
            () ->
                secret.patch(
                    "/v1/collections/c0",
                    new JsonObject()
                        .put(
                            "addFields",
                            new JsonArray()
                                .add(new JsonObject().put("name", "extra").put("type", "text")))));
    assertThat(widened.json().getString("code")).isEqualTo("field_limit");
    assertThat(
            DataPlane.politely(() -> secret.get("/v1/collections/c0"))
                .json()
                .getJsonArray("fields"))
        .hasSize(30);

    for (int i = 1; i < 10; i++) {
      JsonObject collection = DataPlane.collection("c" + i, "a:text");
      assertThat(DataPlane.politely(() -> secret.postJson("/v1/collections", collection)).status())
          .isEqualTo(201);
    }
    Response eleventh =
        DataPlane.politely(
            () -> secret.postJson("/v1/collections", DataPlane.collection("c10", "a:text")));
    assertThat(eleventh.status()).isEqualTo(403);
    assertThat(eleventh.json().getString("code")).isEqualTo("collection_limit");
    assertThat(DataPlane.politely(() -> secret.get("/v1/collections")).json().getJsonArray("items"))
        .hasSize(10);

    JsonObject limits =
        plane.admin.get("/admin/v1/tenants/" + free.slug()).json().getJsonObject("limits");
    assertThat(limits.getInteger("maxCollections")).isEqualTo(10);
    assertThat(limits.getInteger("maxFields")).isEqualTo(30);
  }
}
