package io.plinth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.plinth.testing.TestKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** The admin API over HTTP against a real control plane, PostgreSQL and Hazelcast. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT {

  private final ControlPlane controlPlane = new ControlPlane();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private PlinthClient admin;
  private PlinthClient anonymous;

  @BeforeAll
  void start() {
    logs.start();
    root().addAppender(logs);
    admin = controlPlane.start();
    anonymous = new PlinthClient(admin.baseUrl());
  }

  @AfterAll
  void stop() {
    controlPlane.close();
    root().detachAppender(logs);
  }

  private static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private static String slug() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Response create(String slug) {
    return admin.postJson(
        "/admin/v1/tenants",
        new JsonObject().put("slug", slug).put("name", "Shop " + slug).put("plan", "pro"));
  }

  private JsonObject created(String slug) {
    Response response = create(slug);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  @Test
  void creatingATenantMakesItsSchemaAndReturnsItsKeysOnce() throws Exception {
    String slug = slug();
    Response response = create(slug);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("Location")).hasValue("/admin/v1/tenants/" + slug);
    JsonObject tenant = response.json();
    assertThat(tenant.getString("status")).isEqualTo("active");
    assertThat(tenant.getString("schema")).isEqualTo("t_" + slug.replace('-', '_'));
    assertThat(tenant.getString("plan")).isEqualTo("pro");
    assertThat(tenant.getJsonObject("limits").getInteger("ratePerSecond")).isEqualTo(200);
    assertThat(tenant.getString("schemaVersion")).isEqualTo(ControlPlane.SHIPPED_VERSION);
    JsonArray keys = tenant.getJsonArray("keys");
    assertThat(keys).hasSize(2);
    Set<KeyKind> kinds = new HashSet<>();
    for (Object k : keys) {
      String plaintext = ((JsonObject) k).getString("key");
      ApiKeys.WellFormedKey parsed = ApiKeys.parse(plaintext).orElseThrow();
      kinds.add(parsed.kind());
      assertThat(plaintext).startsWith(((JsonObject) k).getString("prefix"));
    }
    assertThat(kinds).containsExactlyInAnyOrder(KeyKind.PUBLISHABLE, KeyKind.SECRET);

    try (Connection c = controlPlane.database.connect();
        ResultSet tables =
            c.createStatement()
                .executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                        + tenant.getString("schema")
                        + "' ORDER BY 1")) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      assertThat(names)
          .containsExactly(
              "flyway_schema_history",
              "plinth_changes",
              "plinth_changes_horizon",
              "plinth_collections",
              "plinth_idempotency_keys",
              "plinth_usage");
    }

    JsonArray listed =
        admin.get("/admin/v1/tenants/" + slug + "/keys").json().getJsonArray("items");
    assertThat(listed).hasSize(2);
    assertThat(listed.encode()).doesNotContain("\"key\"");
    JsonObject one = admin.get("/admin/v1/tenants/" + slug).json();
    assertThat(one.getJsonObject("usage").getLong("storageBytes")).isPositive();
    assertThat(one.getJsonObject("usage").getLong("rows")).isZero();
    assertThat(one.containsKey("keys")).isFalse();
  }

  @Test
  void invalidTenantsAreRefusedWithEveryFieldNamedAndNothingCreated() {
    Response response =
        admin.postJson(
            "/admin/v1/tenants",
            new JsonObject().put("slug", "Bad_Slug").put("name", "").put("plan", "gold"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.isProblem()).isTrue();
    assertThat(response.json().getString("code")).isEqualTo("validation_failed");
    assertThat(fields(response)).containsExactlyInAnyOrder("slug", "name", "plan");

    Response missing = admin.postJson("/admin/v1/tenants", new JsonObject());
    assertThat(fields(missing)).containsExactlyInAnyOrder("slug", "name", "plan");
    Response unknown =
        admin.postJson(
            "/admin/v1/tenants",
            new JsonObject()
                .put("slug", slug())
                .put("name", "x")
                .put("plan", "free")
                .put("owner", "me"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(fields(unknown)).containsExactly("owner");
    assertThat(
            admin
                .post("/admin/v1/tenants", "application/json", "{not json")
                .json()
                .getString("code"))
        .isEqualTo("invalid_json");
    assertThat(admin.post("/admin/v1/tenants", "application/json", "[1]").status()).isEqualTo(400);
    assertThat(admin.post("/admin/v1/tenants", "text/plain", "slug=x").status()).isEqualTo(415);
    assertThat(admin.post("/admin/v1/tenants", "application/json", "x".repeat(2_000_000)).status())
        .isEqualTo(413);
    assertThat(admin.get("/admin/v1/tenants?status=deleted").json().getJsonArray("items").encode())
        .doesNotContain("Bad_Slug");
  }

  private static List<String> fields(Response response) {
    List<String> fields = new ArrayList<>();
    response
        .json()
        .getJsonArray("errors")
        .forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  @Test
  void ofConcurrentCreatesWithOneSlugExactlyOneSucceeds() {
    String slug = slug();
    List<CompletableFuture<Response>> attempts =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    admin.postJsonAsync(
                        "/admin/v1/tenants",
                        new JsonObject()
                            .put("slug", slug)
                            .put("name", "n" + i)
                            .put("plan", "free")))
            .toList();
    List<Integer> statuses = attempts.stream().map(f -> f.join().status()).sorted().toList();

    assertThat(statuses).containsExactly(201, 409, 409, 409, 409, 409, 409, 409);
    assertThat(create(slug).json().getString("code")).isEqualTo("tenant_exists");
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyReturnsTheFirstTenant() {
    String slug = slug();
    String key = UUID.randomUUID().toString();
    PlinthClient withKey = admin.withHeader("Idempotency-Key", key);
    JsonObject body = new JsonObject().put("slug", slug).put("name", "Once").put("plan", "free");

    Response first = withKey.postJson("/admin/v1/tenants", body);
    Response retry = withKey.postJson("/admin/v1/tenants", body);
    Response other = withKey.postJson("/admin/v1/tenants", body.copy().put("slug", slug()));

    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(retry.json().getJsonArray("keys")).isEmpty(); // plaintext is shown once only
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().getString("code")).isEqualTo("idempotency_key_reused");

    String concurrentKey = UUID.randomUUID().toString();
    JsonObject concurrentBody = body.copy().put("slug", slug());
    List<Response> racing =
        IntStream.range(0, 6)
            .mapToObj(
                i ->
                    admin
                        .withHeader("Idempotency-Key", concurrentKey)
                        .postJsonAsync("/admin/v1/tenants", concurrentBody))
            .toList()
            .stream()
            .map(CompletableFuture::join)
            .toList();
    assertThat(racing).allSatisfy(r -> assertThat(r.status()).isIn(201, 202));
    assertThat(racing.stream().map(r -> r.json().getString("id")).distinct()).hasSize(1);
  }

  @Test
  void listingPagesThroughEveryTenantWithKeysetCursors() {
    List<String> slugs = IntStream.range(0, 5).mapToObj(i -> slug()).toList();
    slugs.forEach(this::created);
    admin.postJson("/admin/v1/tenants/" + slugs.get(0) + ":suspend", new JsonObject());

    List<String> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      Response page =
          admin.get("/admin/v1/tenants?limit=2" + (next == null ? "" : "&after=" + next));
      assertThat(page.status()).isEqualTo(200);
      page.json().getJsonArray("items").forEach(t -> seen.add(((JsonObject) t).getString("slug")));
      next = page.json().getString("next");
      pages++;
    } while (next != null && pages < 1000);
    assertThat(seen).containsAll(slugs).doesNotHaveDuplicates();

    JsonArray suspended =
        admin.get("/admin/v1/tenants?status=suspended&limit=1000").json().getJsonArray("items");
    assertThat(suspended.stream().map(t -> ((JsonObject) t).getString("status")).distinct())
        .containsExactly("suspended");
    assertThat(admin.get("/admin/v1/tenants?limit=0").status()).isEqualTo(400);
    assertThat(admin.get("/admin/v1/tenants?status=sleeping").status()).isEqualTo(400);
    assertThat(admin.get("/admin/v1/tenants?after=nope").status()).isEqualTo(400);
  }

  @Test
  void aSearchFindsTenantsBySlugOrNameIgnoringCaseAndPages() {
    String word = "zq" + UUID.randomUUID().toString().substring(0, 6);
    String bySlug = "s-" + word + "-a";
    String byName = slug();
    String suspended = "s-" + word + "-b";
    for (String s : List.of(bySlug, suspended)) {
      created(s);
    }
    assertThat(
            admin
                .postJson(
                    "/admin/v1/tenants",
                    new JsonObject()
                        .put("slug", byName)
                        .put("name", "The " + word.toUpperCase(java.util.Locale.ROOT) + " shop")
                        .put("plan", "free"))
                .status())
        .isEqualTo(201);
    admin.postJson("/admin/v1/tenants/" + suspended + ":suspend", new JsonObject());
    created(slug()); // matches nothing

    assertThat(slugs(admin.get("/admin/v1/tenants?q=" + word.toUpperCase(java.util.Locale.ROOT))))
        .containsExactly(bySlug, suspended, byName);
    assertThat(slugs(admin.get("/admin/v1/tenants?status=suspended&q=" + word)))
        .containsExactly(suspended);
    JsonObject first = admin.get("/admin/v1/tenants?limit=2&q=" + word).json();
    assertThat(first.getJsonArray("items")).hasSize(2);
    assertThat(
            slugs(
                admin.get(
                    "/admin/v1/tenants?limit=2&q=" + word + "&after=" + first.getString("next"))))
        .containsExactly(byName);
    assertThat(slugs(admin.get("/admin/v1/tenants?q=" + word + "%25")))
        .as("% is literal")
        .isEmpty();
    assertThat(slugs(admin.get("/admin/v1/tenants?q=_" + word.substring(1)))).isEmpty();
    Response tooLong = admin.get("/admin/v1/tenants?q=" + "x".repeat(201));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(fields(tooLong)).containsExactly("q");
  }

  private static List<String> slugs(Response page) {
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    return page.json().getJsonArray("items").stream()
        .map(t -> ((JsonObject) t).getString("slug"))
        .toList();
  }

  @Test
  void suspendResumeAndUnknownTenants() {
    String slug = slug();
    created(slug);

    Response suspended = admin.postJson("/admin/v1/tenants/" + slug + ":suspend", new JsonObject());
    assertThat(suspended.status()).isEqualTo(200);
    assertThat(suspended.json().getString("status")).isEqualTo("suspended");
    assertThat(
            admin
                .postJson("/admin/v1/tenants/" + slug + ":resume", new JsonObject())
                .json()
                .getString("status"))
        .isEqualTo("active");
    assertThat(admin.get("/admin/v1/tenants/no-such-tenant").status()).isEqualTo(404);
    assertThat(admin.get("/admin/v1/tenants/no-such-tenant").json().getString("code"))
        .isEqualTo("tenant_not_found");
    assertThat(
            admin.postJson("/admin/v1/tenants/no-such-tenant:suspend", new JsonObject()).status())
        .isEqualTo(404);
  }

  @Test
  void deletingATenantRemovesItsSchemaAndKeysAndNothingOfAnother() throws Exception {
    String doomed = slug();
    String neighbour = slug();
    String doomedSchema = created(doomed).getString("schema");
    String neighbourSchema = created(neighbour).getString("schema");

    Response deleting = admin.delete("/admin/v1/tenants/" + doomed);
    assertThat(deleting.status()).isEqualTo(202);
    Eventually.poll(
        Duration.ofSeconds(20),
        () -> admin.get("/admin/v1/tenants/" + doomed),
        r -> r.status() == 404);

    try (Connection c = controlPlane.database.connect()) {
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                      + doomedSchema
                      + "'"))
          .isZero();
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                      + neighbourSchema
                      + "'"))
          .isOne();
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM plinth.api_keys k JOIN plinth.tenants t ON t.id = k.tenant_id WHERE t.slug = '"
                      + doomed
                      + "'"))
          .isZero();
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM plinth.api_keys k JOIN plinth.tenants t ON t.id = k.tenant_id WHERE t.slug = '"
                      + neighbour
                      + "' AND t.status = 'active'"))
          .isEqualTo(2);
    }
    assertThat(admin.get("/admin/v1/tenants?status=deleted&limit=1000").body()).contains(doomed);
    assertThat(create(doomed).status()).as("a deleted tenant's slug is free again").isEqualTo(201);
  }

  private static long count(Connection c, String sql) throws Exception {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void keysAreCreatedListedAndRevoked() {
    String slug = slug();
    created(slug);
    String expires = OffsetDateTime.now().plusDays(30).toString();

    Response key =
        admin.postJson(
            "/admin/v1/tenants/" + slug + "/keys",
            new JsonObject()
                .put("kind", "secret")
                .put("name", "backend")
                .put("expiresAt", expires));
    assertThat(key.status()).isEqualTo(201);
    assertThat(ApiKeys.parse(key.json().getString("key")).orElseThrow().kind())
        .isEqualTo(KeyKind.SECRET);
    assertThat(key.json().getString("expiresAt")).isNotNull();
    String id = key.json().getString("id");
    assertThat(key.json().containsKey("revokedAt")).isTrue();
    assertThat(key.json().getString("revokedAt")).as("live").isNull();

    assertThat(admin.delete("/admin/v1/tenants/" + slug + "/keys/" + id).status()).isEqualTo(204);
    JsonObject revoked =
        admin.get("/admin/v1/tenants/" + slug + "/keys").json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(k -> k.getString("id").equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(revoked.getString("revokedAt")).isNotNull();
    assertThat(admin.delete("/admin/v1/tenants/" + slug + "/keys/" + UUID.randomUUID()).status())
        .isEqualTo(404);
    Response bad =
        admin.postJson(
            "/admin/v1/tenants/" + slug + "/keys",
            new JsonObject().put("kind", "operator").put("name", "").put("expiresAt", "yesterday"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(fields(bad)).containsExactlyInAnyOrder("kind", "name", "expiresAt");
  }

  @Test
  void withoutAValidOperatorKeyTheAdminApiAnswers401() {
    String tenantKey = created(slug()).getJsonArray("keys").getJsonObject(0).getString("key");
    String unknownOperator = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
    String key = controlPlane.operatorKey;
    String corrupted = TestKeys.withOneCharacterChanged(key, key.length() - 1);

    for (PlinthClient client :
        List.of(
            anonymous,
            anonymous.withBearer("nonsense"),
            anonymous.withBearer(corrupted),
            anonymous.withBearer(unknownOperator),
            anonymous.withBearer(tenantKey))) {
      Response response = client.get("/admin/v1/tenants");
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.isProblem()).isTrue();
      assertThat(response.json().getString("code")).isEqualTo("unauthorized");
    }
    assertThat(
            anonymous
                .withHeader("apikey", controlPlane.operatorKey)
                .get("/admin/v1/tenants")
                .status())
        .isEqualTo(200);
  }

  @Test
  void everyMutationAndRefusalIsAudited() {
    String slug = slug();
    String requestId = "audit-" + UUID.randomUUID();
    assertThat(
            admin
                .withHeader("X-Request-Id", requestId)
                .postJson(
                    "/admin/v1/tenants",
                    new JsonObject().put("slug", slug).put("name", "A").put("plan", "free"))
                .status())
        .isEqualTo(201);
    admin.postJson("/admin/v1/tenants/" + slug + ":suspend", new JsonObject());
    anonymous.postJson("/admin/v1/tenants/" + slug + ":resume", new JsonObject());

    JsonArray events =
        Eventually.poll(
                Duration.ofSeconds(10),
                () -> admin.get("/admin/v1/audit?tenant=" + slug).json(),
                page -> page.getJsonArray("items").size() >= 3)
            .getJsonArray("items");
    JsonObject create = find(events, "tenant.create");
    assertThat(create.getString("actor")).isEqualTo("operator:bootstrap");
    assertThat(create.getString("outcome")).isEqualTo("success");
    assertThat(create.getInteger("status")).isEqualTo(201);
    assertThat(create.getString("requestId")).isEqualTo(requestId);
    assertThat(create.getString("sourceAddress")).isEqualTo("127.0.0.1");
    assertThat(create.getString("target")).isEqualTo("/admin/v1/tenants");
    JsonObject refused = find(events, "tenant.resume");
    assertThat(refused.getString("actor")).isEqualTo("anonymous");
    assertThat(refused.getString("outcome")).isEqualTo("failure");
    assertThat(refused.getInteger("status")).isEqualTo(401);
    assertThat(find(events, "tenant.suspend").getString("outcome")).isEqualTo("success");

    JsonObject firstPage = admin.get("/admin/v1/audit?limit=1").json();
    String next = firstPage.getString("next");
    assertThat(next).isNotNull();
    JsonObject secondPage = admin.get("/admin/v1/audit?limit=1&after=" + next).json();
    assertThat(secondPage.getJsonArray("items").getJsonObject(0).getString("id")).isLessThan(next);
  }

  @Test
  void theAuditTrailIsFilteredByActorActionAndOutcome() {
    String slug = slug();
    created(slug);
    anonymous.delete("/admin/v1/tenants/" + slug); // refused: 401
    admin.postJson("/admin/v1/tenants/" + slug + ":suspend", new JsonObject());

    // A refusal is recorded once its response is sent.
    JsonArray refused =
        Eventually.poll(
                Duration.ofSeconds(10),
                () ->
                    admin
                        .get("/admin/v1/audit?tenant=" + slug + "&actor=anonymous&outcome=failure")
                        .json(),
                page -> !page.getJsonArray("items").isEmpty())
            .getJsonArray("items");
    assertThat(refused).hasSize(1);
    assertThat(refused.getJsonObject(0).getString("action")).isEqualTo("tenant.delete");
    JsonArray suspends =
        admin
            .get(
                "/admin/v1/audit?tenant="
                    + slug
                    + "&action=tenant.suspend&actor=operator:bootstrap")
            .json()
            .getJsonArray("items");
    assertThat(suspends).hasSize(1);
    assertThat(suspends.getJsonObject(0).getString("outcome")).isEqualTo("success");
    assertThat(
            admin
                .get("/admin/v1/audit?tenant=" + slug + "&outcome=success&limit=1000")
                .json()
                .getJsonArray("items")
                .stream()
                .map(e -> ((JsonObject) e).getString("action"))
                .toList())
        .containsExactly("tenant.suspend", "tenant.create");

    Response bad = admin.get("/admin/v1/audit?outcome=maybe&limit=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("code")).isEqualTo("validation_failed");
    assertThat(fields(bad)).containsExactlyInAnyOrder("outcome", "limit");
  }

  @Test
  void migrationRunsAreListedNewestFirst() {
    String older = admin.postJson("/admin/v1/migrations", new JsonObject()).json().getString("id");
    String newer = admin.postJson("/admin/v1/migrations", new JsonObject()).json().getString("id");

    JsonObject first = admin.get("/admin/v1/migrations?limit=1").json();
    JsonObject newest = first.getJsonArray("items").getJsonObject(0);
    assertThat(newest.getString("id")).isEqualTo(newer);
    assertThat(newest.fieldNames())
        .containsAll(admin.get("/admin/v1/migrations/" + newer).json().fieldNames());
    assertThat(first.getString("next")).isEqualTo(newer);
    JsonObject second = admin.get("/admin/v1/migrations?limit=1&after=" + newer).json();
    assertThat(second.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(older);
    assertThat(admin.get("/admin/v1/migrations?after=yesterday").status()).isEqualTo(400);
  }

  private static JsonObject find(JsonArray events, String action) {
    return events.stream()
        .map(JsonObject.class::cast)
        .filter(e -> e.getString("action").equals(action))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + action + " in " + events.encodePrettily()));
  }

  @Test
  void operatorKeyUseIsRecordedInBatchesNotPerRequest() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(admin.get("/admin/v1/tenants?limit=1").status()).isEqualTo(200);
    }
    Eventually.poll(
        Duration.ofSeconds(15),
        () -> {
          try (Connection c = controlPlane.database.connect()) {
            return count(
                c, "SELECT count(*) FROM plinth.operator_keys WHERE last_used_at IS NOT NULL");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        n -> n == 1);
  }

  @Test
  void theAuditTrailCannotBeChangedInTheDatabase() throws Exception {
    created(slug());
    try (Connection c = controlPlane.database.connect()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> c.createStatement().execute("DELETE FROM plinth.audit_events"))
          .hasMessageContaining("append-only");
    }
  }

  @Test
  void noPlaintextKeyReachesTheDatabaseOrTheLogs() throws Exception {
    JsonObject tenant = created(slug());
    List<String> plaintexts = new ArrayList<>();
    tenant.getJsonArray("keys").forEach(k -> plaintexts.add(((JsonObject) k).getString("key")));
    plaintexts.add(
        admin
            .postJson(
                "/admin/v1/tenants/" + tenant.getString("slug") + "/keys",
                new JsonObject().put("kind", "publishable").put("name", "web"))
            .json()
            .getString("key"));
    plaintexts.add(controlPlane.operatorKey);

    StringBuilder everything = new StringBuilder();
    try (Connection c = controlPlane.database.connect();
        ResultSet tables =
            c.createStatement()
                .executeQuery(
                    "SELECT table_schema, table_name FROM information_schema.tables WHERE"
                        + " table_schema = 'plinth' OR table_schema LIKE 't\\_%'")) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add('"' + tables.getString(1) + "\".\"" + tables.getString(2) + '"');
      }
      for (String table : names) {
        try (ResultSet rows =
            c.createStatement().executeQuery("SELECT t::text FROM " + table + " t")) {
          while (rows.next()) {
            everything.append(rows.getString(1)).append('\n');
          }
        }
      }
    }
    StringBuilder logged = new StringBuilder();
    logs.list.forEach(
        e ->
            logged
                .append(e.getFormattedMessage())
                .append(' ')
                .append(java.util.Arrays.toString(e.getArgumentArray()))
                .append('\n'));

    assertThat(everything).isNotEmpty();
    assertThat(logged).isNotEmpty();
    for (String key : plaintexts) {
      String secretPart = key.substring(16); // past the displayed prefix
      assertThat(everything.toString()).doesNotContain(secretPart);
      assertThat(logged.toString()).doesNotContain(secretPart);
    }
  }
}
