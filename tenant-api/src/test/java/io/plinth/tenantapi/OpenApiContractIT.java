package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.EventStream;
import io.plinth.testing.EventStream.Event;
import io.plinth.testing.Eventually;
import io.plinth.testing.OpenApiContract;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /v1/openapi.json} tells the truth: it is served without a key, every route of the real
 * router is documented and every documented operation is routed, and a tour over HTTP through every
 * operation gets only responses that the document describes (status, content type, body schema,
 * headers, and the data of change events).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractIT {

  /**
   * Documented ahead of the code, so neither routed nor toured yet. Once one is routed the route
   * check fails: take it out of here and add it to the tour.
   */
  private static final Set<String> NOT_ROUTED_YET = Set.of();

  /**
   * The statuses the tour must have met, so that it cannot quietly shrink. Documented but not
   * toured: 500 (a fault), and 503, whose codes need a runaway statement ({@code QueryTimeoutIT}),
   * a tenant flooding a node, or a database that is away.
   */
  private static final Set<Integer> TOURED_STATUSES =
      Set.of(200, 201, 204, 304, 400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 429);

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A small body limit, so that 413 takes a small body. */
  private static final int BODY_LIMIT = 16 * 1024;

  private static final String JSON = "application/json";
  private static final String COLLECTIONS = "/v1/collections";
  private static final String ITEMS = COLLECTIONS + "/items/records";

  private DataPlane plane;
  private Vertx vertx;
  private OpenApiContract contract;
  private final Set<String> exercised = new TreeSet<>();
  private final Set<Integer> statuses = new HashSet<>();

  @BeforeAll
  void start() {
    plane = new DataPlane(Map.of("plinth.http.max-body-bytes", String.valueOf(BODY_LIMIT)));
    vertx = Vertx.vertx();
    Response document = plane.api.get(TenantApiService.OPENAPI_PATH); // no key
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.header("Content-Type")).hasValue("application/json");
    contract = OpenApiContract.load(vertx, document.json());
  }

  @AfterAll
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    plane.close();
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
    Set<String> routed = OpenApiContract.routedOperations(plane.dataPlaneRoutes(), "/v1/");
    assertThat(routed).as("routed but not documented").isSubsetOf(contract.operations());
    Set<String> missing = new TreeSet<>(contract.operations());
    missing.removeAll(routed);
    assertThat(missing)
        .as("documented but not routed (once one of NOT_ROUTED_YET is routed, tour it)")
        .isEqualTo(NOT_ROUTED_YET);
  }

  @Test
  void everyOperationAnswersAsDocumented() throws Exception {
    PlinthClient anonymous = plane.api;
    DataPlane.Tenant tenant = plane.newTenant();
    PlinthClient secret = plane.as(tenant.secretKey());
    PlinthClient publishable = plane.as(tenant.publishableKey());

    tourTheDocument(anonymous);
    tourAuthentication(anonymous);
    tourCollections(secret, publishable);
    tourRecords(secret, publishable);
    tourQueries(publishable);
    tourEndUsers(tenant, publishable);
    tourIdempotentInserts(secret);
    tourIdentity(publishable);
    tourChanges(tenant, secret, publishable);
    tourDeletes(secret, publishable);
    tourPlanLimits();
    tourSuspension(tenant, secret);

    Set<String> unexercised = new TreeSet<>(contract.operations());
    unexercised.removeAll(exercised);
    assertThat(unexercised).as("operations the tour did not reach").isEqualTo(NOT_ROUTED_YET);
    assertThat(statuses).containsAll(TOURED_STATUSES);
  }

  private void tourTheDocument(PlinthClient anonymous) {
    Response document = get(anonymous, TenantApiService.OPENAPI_PATH, 200);
    String etag = document.header("ETag").orElseThrow();
    get(anonymous.withHeader("If-None-Match", etag), TenantApiService.OPENAPI_PATH, 304);
  }

  private void tourAuthentication(PlinthClient anonymous) {
    expectCode("missing_api_key", get(anonymous, COLLECTIONS, 401));
    expectCode("missing_api_key", post(anonymous, ITEMS, new JsonObject(), 401));
    PlinthClient garbage = plane.as("plinth_sk_garbage");
    expectCode("invalid_api_key", get(garbage, COLLECTIONS + "/items", 401));
    expectCode("invalid_api_key", delete(garbage, ITEMS + "/" + UUID.randomUUID(), 401));
  }

  private void tourCollections(PlinthClient secret, PlinthClient publishable) {
    JsonObject items = items();
    expectCode("secret_key_required", post(publishable, COLLECTIONS, items, 403));
    expectCode("unsupported_media_type", send(secret, "POST", COLLECTIONS, "text/plain", "x", 415));
    expectCode("invalid_json", send(secret, "POST", COLLECTIONS, "application/json", "{", 400));
    Response invalid = post(secret, COLLECTIONS, DataPlane.collection("Items", "price:float"), 400);
    expectCode("validation_failed", invalid);
    assertThat(invalid.json().getJsonArray("errors")).hasSize(2); // name and type
    expectCode("body_too_large", send(secret, "POST", COLLECTIONS, JSON, tooLarge(), 413));

    post(secret, COLLECTIONS, items, 201);
    expectCode("collection_exists", post(secret, COLLECTIONS, items, 409));
    post(secret, COLLECTIONS, DataPlane.collection("secrets", "note:text"), 201);
    JsonObject members =
        DataPlane.collection("members", "note:text")
            .put("rules", new JsonObject().put("read", "owner").put("write", "owner"));
    post(secret, COLLECTIONS, members, 201);

    Response list = get(publishable, COLLECTIONS, 200);
    assertThat(list.json().getJsonArray("items")).hasSize(3);
    assertThat(list.header("RateLimit-Policy")) // the enterprise plan's limits
        .hasValue("\"tenant\";q=2000;w=1, \"key\";q=1000;w=1");
    assertThat(list.header("RateLimit")).isPresent();
    get(publishable, COLLECTIONS + "/items", 200);
    expectCode("collection_not_found", get(secret, COLLECTIONS + "/nope", 404));

    JsonObject change =
        new JsonObject()
            .put("addFields", new JsonArray().add(field("note", "text").put("default", "-")))
            .put("addIndexes", new JsonArray().add("title"))
            .put("rules", new JsonObject().put("read", "public"));
    Response changed = patch(secret, COLLECTIONS + "/items", change, 200);
    assertThat(changed.json().getJsonArray("fields")).hasSize(5);
    expectCode("secret_key_required", patch(publishable, COLLECTIONS + "/items", change, 403));
    JsonObject requiredWithoutDefault =
        new JsonObject()
            .put("addFields", new JsonArray().add(field("must", "text").put("required", true)));
    expectCode(
        "validation_failed", patch(secret, COLLECTIONS + "/items", requiredWithoutDefault, 400));
    expectCode("collection_not_found", patch(secret, COLLECTIONS + "/nope", change, 404));
    expectCode(
        "unsupported_media_type",
        send(secret, "PATCH", COLLECTIONS + "/items", "text/plain", "{}", 415));
    expectCode(
        "body_too_large", send(secret, "PATCH", COLLECTIONS + "/items", JSON, tooLarge(), 413));
  }

  private void tourRecords(PlinthClient secret, PlinthClient publishable) {
    Response one =
        post(
            secret,
            ITEMS,
            new JsonObject().put("title", "Blue").put("price", 10).put("sku", "A"),
            201);
    assertThat(one.header("Location")).hasValue(ITEMS + "/" + one.json().getString("id"));
    JsonArray batch =
        new JsonArray()
            .add(new JsonObject().put("title", "Green").put("price", 20.5).put("sku", "B"))
            .add(
                new JsonObject()
                    .put("title", "Red")
                    .put("sku", "C")
                    .put("tags", new JsonObject().put("hot", true)));
    assertThat(send(secret, "POST", ITEMS, JSON, batch.encode(), 201).body()).startsWith("[");
    expectCode(
        "unique_violation",
        post(secret, ITEMS, new JsonObject().put("title", "Dup").put("sku", "A"), 409));
    Response unfit =
        post(secret, ITEMS, new JsonObject().put("price", "ten").put("colour", "red"), 422);
    expectCode("invalid_record", unfit);
    assertThat(unfit.json().getJsonArray("errors")).hasSize(3); // price, colour, missing title
    expectCode("invalid_batch", send(secret, "POST", ITEMS, JSON, "[]", 400));
    JsonObject record = new JsonObject().put("title", "x");
    expectCode("secret_key_required", post(publishable, ITEMS, record, 403));
    expectCode(
        "user_token_required",
        post(publishable, COLLECTIONS + "/members/records", new JsonObject(), 401));
    expectCode("collection_not_found", post(secret, COLLECTIONS + "/nope/records", record, 404));
    expectCode("unsupported_media_type", send(secret, "POST", ITEMS, "text/plain", "{}", 415));
    expectCode("body_too_large", send(secret, "POST", ITEMS, JSON, tooLarge(), 413));

    String path = ITEMS + "/" + one.json().getString("id");
    String etag = one.header("ETag").orElseThrow();
    String unknown = ITEMS + "/" + UUID.randomUUID();
    get(publishable, path, 200);
    get(publishable.withHeader("If-None-Match", etag), path, 304);
    expectCode("record_not_found", get(publishable, unknown, 404));
    String secretNote =
        post(secret, COLLECTIONS + "/secrets/records", new JsonObject().put("note", "n"), 201)
            .json()
            .getString("id");
    expectCode(
        "secret_key_required",
        get(publishable, COLLECTIONS + "/secrets/records/" + secretNote, 403));

    JsonObject cheaper = new JsonObject().put("price", 9.5);
    PlinthClient ifMatch = secret.withHeader("If-Match", etag);
    patch(ifMatch, path, cheaper, 200);
    expectCode("version_mismatch", patch(ifMatch, path, cheaper, 412));
    expectCode(
        "invalid_if_match", patch(secret.withHeader("If-Match", "3, x"), path, cheaper, 400));
    expectCode("invalid_record", patch(secret, path, new JsonObject(), 422));
    expectCode("unique_violation", patch(secret, path, new JsonObject().put("sku", "B"), 409));
    expectCode("record_not_found", patch(secret, unknown, cheaper, 404));
    expectCode("secret_key_required", patch(publishable, path, cheaper, 403));
    expectCode(
        "user_token_required",
        patch(
            publishable,
            COLLECTIONS + "/members/records/" + UUID.randomUUID(),
            new JsonObject().put("note", "n"),
            401));
    expectCode("unsupported_media_type", send(secret, "PATCH", path, "text/plain", "{}", 415));
    expectCode("body_too_large", send(secret, "PATCH", path, JSON, tooLarge(), 413));
  }

  private void tourQueries(PlinthClient publishable) {
    JsonObject first =
        get(publishable, ITEMS + "?order=price.desc&limit=2&count=exact", 200).json();
    assertThat(first.getInteger("total")).isEqualTo(3);
    get(publishable, ITEMS + "?order=price.desc&limit=2&after=" + first.getString("next"), 200);
    JsonObject selected =
        get(publishable, ITEMS + "?select=title&price=gte.1&title=like.*e*&tags=is.null", 200)
            .json();
    assertThat(selected.getJsonArray("items").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("id", "version", "title");
    Response invalid = get(publishable, ITEMS + "?price=between.1&limit=0", 400);
    expectCode("invalid_query", invalid);
    assertThat(invalid.json().getJsonArray("errors")).hasSize(2);
    expectCode("invalid_cursor", get(publishable, ITEMS + "?after=garbage", 400));
    expectCode("secret_key_required", get(publishable, COLLECTIONS + "/secrets/records", 403));
    expectCode("user_token_required", get(publishable, COLLECTIONS + "/members/records", 401));
    expectCode("collection_not_found", get(publishable, COLLECTIONS + "/nope/records", 404));
  }

  private void tourEndUsers(DataPlane.Tenant tenant, PlinthClient publishable) {
    String notes = COLLECTIONS + "/members/records";
    PlinthClient alice = plane.asUser(tenant, "alice");
    PlinthClient bob = plane.asUser(tenant, "bob");
    Response mine = post(alice, notes, new JsonObject().put("note", "mine"), 201);
    assertThat(mine.json().getString("owner")).isEqualTo("alice"); // the token's sub
    String path = notes + "/" + mine.json().getString("id");
    get(alice, path, 200);
    assertThat(get(alice, notes, 200).json().getJsonArray("items")).hasSize(1);
    // Another user's record is not there for bob: 404, never 403.
    assertThat(get(bob, notes, 200).json().getJsonArray("items")).isEmpty();
    expectCode("record_not_found", get(bob, path, 404));
    expectCode("record_not_found", patch(bob, path, new JsonObject().put("note", "bob's"), 404));
    expectCode("record_not_found", delete(bob, path, 404));
    patch(alice, path, new JsonObject().put("note", "still mine"), 200);

    // A token that does not verify is refused even where any key may read.
    String expired = plane.tokens.token(tenant.slug(), "alice", claims -> claims.put("exp", 1));
    expectCode("invalid_user_token", get(publishable.withBearer(expired), COLLECTIONS, 401));
    expectCode(
        "invalid_user_token", get(publishable.withBearer("not-a-token"), ITEMS + "?limit=1", 401));
    expectCode(
        "invalid_user_token",
        post(publishable.withBearer(expired), notes, new JsonObject().put("note", "n"), 401));
  }

  /** In collection {@code secrets}, so that the counts of {@code items} stay as they are. */
  private void tourIdempotentInserts(PlinthClient secret) {
    String secrets = COLLECTIONS + "/secrets/records";
    PlinthClient keyed = secret.withHeader("Idempotency-Key", "tour-" + UUID.randomUUID());
    JsonObject note = new JsonObject().put("note", "once");
    Response first = post(keyed, secrets, note, 201);
    Response again = post(keyed, secrets, note, 201);
    assertThat(again.header("Idempotent-Replayed")).hasValue("true");
    assertThat(again.body()).isEqualTo(first.body());
    expectCode(
        "idempotency_key_reused", post(keyed, secrets, new JsonObject().put("note", "twice"), 422));
    expectCode(
        "invalid_idempotency_key",
        post(secret.withHeader("Idempotency-Key", "two words"), secrets, note, 400));
  }

  private void tourIdentity(PlinthClient publishable) {
    Response signIn = get(publishable, "/v1/identity", 200);
    assertThat(signIn.json().getString("mode")).isEqualTo("realm");
    DataPlane.Tenant without = plane.newTenant();
    plane.signInWith(without, null);
    expectCode(
        "sign_in_not_configured", get(plane.as(without.publishableKey()), "/v1/identity", 404));
  }

  private void tourChanges(DataPlane.Tenant tenant, PlinthClient secret, PlinthClient publishable)
      throws Exception {
    String changes = COLLECTIONS + "/items/changes";
    assertThat(opening(tenant.publishableKey(), changes)).isEqualTo("retry: 2000\n: connected\n\n");
    List<Event> events;
    try (EventStream stream = stream(publishable, changes)) {
      assertThat(stream.headers().firstValue("Content-Type"))
          .hasValue("text/event-stream; charset=utf-8");
      Response inserted = post(secret, ITEMS, new JsonObject().put("title", "Live"), 201);
      String id = inserted.json().getString("id");
      patch(secret, ITEMS + "/" + id, new JsonObject().put("price", 1), 200);
      delete(secret, ITEMS + "/" + id, 204);
      events = about(id, eventsUntil(stream, id, 3));
    }
    assertThat(events).extracting(Event::type).containsExactly("insert", "update", "delete");
    assertThat(events.get(2).json().getValue("version")).isNull();
    try (EventStream resumed =
        stream(publishable.withHeader("Last-Event-ID", events.get(0).id()), changes)) {
      assertThat(resumed.take(2, WAIT))
          .extracting(Event::id)
          .containsExactly(events.get(1).id(), events.get(2).id());
    }
    String memberChanges = COLLECTIONS + "/members/changes";
    try (EventStream alices = stream(plane.asUser(tenant, "alice"), memberChanges)) {
      String notes = COLLECTIONS + "/members/records";
      post(plane.asUser(tenant, "bob"), notes, new JsonObject().put("note", "bob's"), 201);
      String id =
          post(plane.asUser(tenant, "alice"), notes, new JsonObject().put("note", "n"), 201)
              .json()
              .getString("id");
      // Only alice's own records' changes: bob's insert, made first, never comes.
      assertThat(eventsUntil(alices, id, 1))
          .allSatisfy(
              e ->
                  assertThat(e.json().getJsonObject("record").getString("owner"))
                      .isEqualTo("alice"));
    }

    PlinthClient resuming = publishable.withHeader("Last-Event-ID", "42");
    expectCode("invalid_last_event_id", refusedStream(resuming, changes, 400));
    expectCode(
        "collection_not_found", refusedStream(publishable, COLLECTIONS + "/nope/changes", 404));
    expectCode(
        "secret_key_required", refusedStream(publishable, COLLECTIONS + "/secrets/changes", 403));
    expectCode(
        "user_token_required", refusedStream(publishable, COLLECTIONS + "/members/changes", 401));
    expectCode(
        "invalid_user_token", refusedStream(publishable.withBearer("not-a-token"), changes, 401));
    plane.expireChanges(tenant);
    expectCode(
        "change_history_expired",
        refusedStream(publishable.withHeader("Last-Event-ID", events.get(0).id()), changes, 410));
  }

  private void tourDeletes(PlinthClient secret, PlinthClient publishable) {
    String path =
        ITEMS
            + "/"
            + get(secret, ITEMS + "?limit=1", 200)
                .json()
                .getJsonArray("items")
                .getJsonObject(0)
                .getString("id");
    expectCode("secret_key_required", delete(publishable, path, 403));
    delete(secret, path, 204);
    expectCode("record_not_found", delete(secret, path, 404));

    expectCode("secret_key_required", delete(publishable, COLLECTIONS + "/secrets", 403));
    delete(secret, COLLECTIONS + "/secrets", 204);
    expectCode("collection_not_found", delete(secret, COLLECTIONS + "/secrets", 404));
  }

  /** On the free plan: 30 fields per collection, 10 requests per second per tenant and per key. */
  private void tourPlanLimits() {
    PlinthClient free = plane.as(plane.newTenant("free").secretKey());
    String[] fields = new String[31];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = "f" + i + ":text";
    }
    expectCode("field_limit", post(free, COLLECTIONS, DataPlane.collection("wide", fields), 403));
    String[] thirty = Arrays.copyOf(fields, 30);
    post(free, COLLECTIONS, DataPlane.collection("wide", thirty), 201);
    JsonObject oneMore =
        new JsonObject().put("addFields", new JsonArray().add(field("f30", "text")));
    expectCode("field_limit", patch(free, COLLECTIONS + "/wide", oneMore, 403));

    Response limited = null;
    for (int i = 0; i < 200 && limited == null; i++) {
      Response response = free.get(COLLECTIONS);
      if (response.status() == 429) {
        limited = response;
      } else {
        expect("GET", COLLECTIONS, response, 200);
      }
    }
    assertThat(limited).as("a 429 within 200 requests at 10 per second").isNotNull();
    expectCode("rate_limited", expect("GET", COLLECTIONS, limited, 429));
    assertThat(limited.header("Retry-After")).hasValue("1");
    assertThat(limited.header("RateLimit-Policy"))
        .hasValue("\"tenant\";q=10;w=1, \"key\";q=10;w=1");

    // A plan without a rate limit: no rate-limit headers at all.
    Response unlimited = get(plane.as(plane.newTenant("internal").secretKey()), COLLECTIONS, 200);
    assertThat(unlimited.header("RateLimit-Policy")).isEmpty();
    assertThat(unlimited.header("RateLimit")).isEmpty();
  }

  private void tourSuspension(DataPlane.Tenant tenant, PlinthClient secret) {
    plane.admin.postJson("/admin/v1/tenants/" + tenant.slug() + ":suspend", new JsonObject());
    Response refused =
        Eventually.poll(
            Duration.ofSeconds(5), () -> secret.get(COLLECTIONS), r -> r.status() != 200);
    expectCode("tenant_suspended", expect("GET", COLLECTIONS, refused, 403));
  }

  // The tour's requests: each response is checked against the document and counted.

  private Response get(PlinthClient client, String path, int status) {
    return expect("GET", path, client.get(path), status);
  }

  private Response post(PlinthClient client, String path, JsonObject body, int status) {
    return expect("POST", path, client.postJson(path, body), status);
  }

  private Response patch(PlinthClient client, String path, JsonObject body, int status) {
    return expect("PATCH", path, client.patch(path, body), status);
  }

  private Response delete(PlinthClient client, String path, int status) {
    return expect("DELETE", path, client.delete(path), status);
  }

  private Response send(
      PlinthClient client,
      String method,
      String path,
      String contentType,
      String body,
      int status) {
    return expect(method, path, client.send(method, path, contentType, body), status);
  }

  /**
   * The events of a stream up to the {@code n}th about record {@code id}, each checked against the
   * document. A stream without {@code Last-Event-ID} starts at the oldest transaction still
   * running, so it may first replay changes of other records that committed just before it opened.
   */
  private List<Event> eventsUntil(EventStream stream, String id, int n) {
    List<Event> seen = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    int about = 0;
    while (about < n) {
      Event event = stream.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      assertThat(event).as("%d events about %s, got %s", n, id, seen).isNotNull();
      assertThat(event.id()).matches("[0-9]+-[0-9]+");
      JsonObject data = event.json();
      contract.checkSchema("ChangeEvent", data);
      assertThat(data.getString("op")).isEqualTo(event.type());
      seen.add(event);
      if (data.getString("id").equals(id)) {
        about++;
      }
    }
    return seen;
  }

  private static List<Event> about(String id, List<Event> events) {
    return events.stream().filter(e -> e.json().getString("id").equals(id)).toList();
  }

  /** Opens a change stream that must answer 200; its events are the caller's to check. */
  private EventStream stream(PlinthClient client, String path) {
    EventStream stream = client.events(path);
    // The body of a stream is its events: the response itself has none to check yet.
    expect("GET", path, new Response(stream.status(), stream.headers(), ""), 200);
    return stream;
  }

  /** A change stream that must be refused: the problem it answers. */
  private Response refusedStream(PlinthClient client, String path, int status) {
    try (EventStream stream = client.events(path)) {
      String body = stream.status() == 200 ? "" : stream.problem().encode();
      return expect("GET", path, new Response(stream.status(), stream.headers(), body), status);
    }
  }

  /** The first bytes of a change stream as the server writes them, up to the first blank line. */
  private String opening(String key, String path) throws Exception {
    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(plane.api.baseUrl() + path))
                .header("apikey", key)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream body = response.body()) {
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      while (!read.toString(StandardCharsets.UTF_8).contains("\n\n")) {
        int b = body.read();
        if (b < 0) {
          break;
        }
        read.write(b);
      }
      return read.toString(StandardCharsets.UTF_8);
    }
  }

  private Response expect(String method, String path, Response response, int status) {
    assertThat(response.status())
        .as("%s %s answered %s", method, path, response.body())
        .isEqualTo(status);
    exercised.add(contract.check(method, path, response).key());
    statuses.add(status);
    return response;
  }

  private static void expectCode(String code, Response problem) {
    assertThat(problem.json().getString("code")).as(problem.body()).isEqualTo(code);
  }

  private static String tooLarge() {
    return new JsonObject().put("title", "x".repeat(BODY_LIMIT)).encode();
  }

  private static JsonObject field(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  private static JsonObject items() {
    return new JsonObject()
        .put("name", "items")
        .put(
            "fields",
            new JsonArray()
                .add(field("title", "text").put("required", true))
                .add(field("price", "number").put("indexed", true))
                .add(field("sku", "text").put("unique", true))
                .add(field("tags", "json")))
        .put("rules", new JsonObject().put("read", "public").put("write", "secret"));
  }
}
