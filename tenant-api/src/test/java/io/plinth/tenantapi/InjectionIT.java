package io.plinth.tenantapi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SQL metacharacters, keywords and other hostile text in every place a client controls: collection
 * and field names (in bodies and paths), collection patches, filter field names, operators and
 * values, {@code order}, {@code select}, {@code after}, {@code limit}, {@code count}, record ids,
 * record keys and values, defaults, and a few headers. Each request is refused with 400/404/422 as
 * {@code application/problem+json} without SQL text, or, where the text is legitimately data (a
 * filter value, a record value, a default), it is used as data: it matches nothing it should not
 * and is stored and read back verbatim. Query strings and paths are sent URL-encoded and also raw
 * (on a socket, so quotes, semicolons and malformed %-escapes reach the server's own decoding).
 * Before and after the whole run the data of the tenant and of a second tenant, read through the
 * API, are the same, and their tables are all still there; no request waited on a pg_sleep.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InjectionIT {

  private static final String COLLECTIONS = "/v1/collections";
  private static final String ITEMS = COLLECTIONS + "/items";
  private static final String RECORDS = ITEMS + "/records";
  private static final int SEED = 30;

  /** Text of database errors, SQL and Java internals, none of which may reach a client. */
  private static final List<String> LEAK_MARKERS =
      List.of(
          "syntax error",
          "sqlstate",
          "relation \"",
          "pgexception",
          "error:",
          "at character",
          "violates",
          "does not exist",
          "select ",
          "insert into",
          "delete from",
          "update \"",
          "alter table",
          "create table",
          "io.vertx",
          "java.",
          "exception",
          "\tat ");

  /** Every field a query may name, and whether it is json (json cannot be ordered). */
  private static final Map<String, Boolean> QUERY_FIELDS = new LinkedHashMap<>();

  static {
    for (String system : List.of("id", "owner", "createdAt", "updatedAt", "version")) {
      QUERY_FIELDS.put(system, false);
    }
    for (String field : List.of("title", "note", "qty", "price", "flag", "at", "ref")) {
      QUERY_FIELDS.put(field, false);
    }
    QUERY_FIELDS.put("meta", true);
  }

  private static final Set<String> OPS =
      Set.of("eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "in", "is");

  /** The rule names, which are legitimate values of rules.read and rules.write. */
  private static final Set<String> RULES = Set.of("public", "authenticated", "owner", "secret");

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private DataPlane plane;
  private DataPlane.Tenant tenant;
  private DataPlane.Tenant other;
  private PlinthClient api;
  private PlinthClient otherApi;
  private List<String> corpus;
  private final Map<String, JsonObject> seed = new LinkedHashMap<>();
  private String seedId;

  /** The seed's ids in the server's order=title.asc. */
  private List<String> byTitle;

  private JsonObject before;
  private JsonObject otherBefore;
  private Map<String, Long> tablesBefore;
  private long slowestMillis;
  private String slowestRequest = "none";

  @BeforeAll
  void start(DataPlane shared) throws Exception {
    plane = shared;
    tenant = plane.newTenant("internal"); // thousands of requests: no rate limit
    other = plane.newTenant("internal");
    api = plane.as(tenant.secretKey());
    otherApi = plane.as(other.secretKey());

    JsonObject items =
        DataPlane.collection(
            "items",
            "title:text",
            "note:text",
            "qty:integer",
            "price:number",
            "flag:boolean",
            "at:timestamp",
            "ref:uuid",
            "meta:json");
    assertThat(api.postJson(COLLECTIONS, items).status()).isEqualTo(201);
    JsonArray records = new JsonArray();
    for (int i = 0; i < SEED; i++) {
      JsonObject record =
          new JsonObject()
              .put("title", (i % 2 == 0 ? "lamp " : "desk ") + i)
              .put("note", "note " + i)
              .put("qty", i % 5)
              .put("flag", i % 2 == 0)
              .put("at", String.format("2026-01-%02dT10:00:00Z", i % 28 + 1))
              .put("ref", UUID.randomUUID().toString())
              .put("meta", new JsonObject().put("n", i));
      if (i % 6 != 0) {
        record.put("price", i * 1.5);
      }
      records.add(record);
    }
    Response created = api.post(RECORDS, "application/json", records.encode());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    new JsonArray(created.body())
        .forEach(r -> seed.put(((JsonObject) r).getString("id"), (JsonObject) r));
    seedId = seed.keySet().iterator().next();

    assertThat(api.postJson(COLLECTIONS, DataPlane.collection("notes", "body:text")).status())
        .isEqualTo(201);
    for (int i = 0; i < 5; i++) {
      api.postJson(COLLECTIONS + "/notes/records", new JsonObject().put("body", "n" + i));
    }
    assertThat(otherApi.postJson(COLLECTIONS, DataPlane.collection("items", "title:text")).status())
        .isEqualTo(201);
    for (int i = 0; i < 10; i++) {
      otherApi.postJson(RECORDS, new JsonObject().put("title", "other " + i));
    }

    byTitle = new ArrayList<>(ids(api.get(RECORDS + "?order=title.asc&limit=1000")));
    assertThat(byTitle).hasSize(SEED);
    corpus = corpus(tenant.schema(), other.schema());
    before = snapshot(api);
    otherBefore = snapshot(otherApi);
    tablesBefore = tables();
    assertThat(tablesBefore)
        .containsKeys(
            tenant.schema() + ".items",
            tenant.schema() + ".notes",
            tenant.schema() + ".plinth_collections",
            other.schema() + ".items");
  }

  /** Hostile strings; the two schema names make the DROP statements aim at real objects. */
  private static List<String> corpus(String schema, String otherSchema) {
    List<String> corpus =
        new ArrayList<>(
            List.of(
                "'",
                "\"",
                ";",
                "--",
                "/*",
                "*/",
                "/**/",
                "') OR 1=1 --",
                ") OR 1=1 --",
                "' OR '1'='1",
                "x' OR '1'='1",
                "x' OR 1=1; --",
                "1 OR 1=1",
                "x'; DROP TABLE items; --",
                "x'); DROP TABLE \"" + schema + "\".\"items\"; --",
                "\"; DROP SCHEMA \"" + schema + "\" CASCADE; --",
                "\"; DROP SCHEMA " + schema + " CASCADE; --",
                "items\"; DROP TABLE \"" + schema + "\".\"items\"; --",
                "\"; DROP SCHEMA \"" + otherSchema + "\" CASCADE; --",
                "x'; DELETE FROM \"" + schema + "\".\"items\"; --",
                "x'; UPDATE \"" + schema + "\".\"items\" SET title = 'pwned'; --",
                "x' UNION SELECT * FROM \"" + otherSchema + "\".\"items\" --",
                "\u0000",
                "x\u0000y",
                "\\",
                "\\'",
                "\\\"",
                "\\\\'; DROP TABLE items; --",
                "E'\\x27'",
                "$1",
                "$2::text",
                "$$",
                "$$; DROP TABLE items; $$",
                "$tag$ x $tag$",
                "\u2018",
                "\u2019",
                "\u201c",
                "\u201d",
                "\u02bc",
                "\uff07",
                "\u2019 OR \u20191\u2019=\u20191",
                "select",
                "SELECT",
                "1; SELECT pg_sleep(5)",
                "pg_sleep(5)",
                "'||pg_sleep(5)||'",
                "x' AND pg_sleep(5) IS NOT NULL --",
                "id",
                "owner",
                "version",
                "createdAt",
                "created_at",
                "plinth_collections",
                "pg_catalog",
                "information_schema",
                schema,
                schema + ".items",
                "\"" + schema + "\".\"items\"",
                "items;",
                "items--",
                "items\"",
                "ITEMS",
                "a".repeat(10_000),
                "'".repeat(10_000),
                "x' " + "OR 1=1 ".repeat(1_500),
                "%27",
                "%22",
                "%00",
                "%27%20OR%20%271%27%3D%271",
                "%2527",
                "%",
                "%zz",
                "%C0%A7",
                "+",
                "\n",
                "\r\n",
                "\t",
                " ",
                "",
                "null",
                "NULL",
                "true",
                "0",
                "-1",
                "1e999",
                "9223372036854775808",
                "(",
                ")",
                ",",
                ".",
                "..",
                "*",
                "*.*",
                "eq.x",
                "eq.",
                "is.null",
                "in.(1,2)",
                "title.asc,qty.desc",
                "&limit=1000",
                "#",
                "?"));
    return List.copyOf(new LinkedHashSet<>(corpus));
  }

  // ---------------------------------------------------------------------------------------------
  // Collections: names in bodies, definitions, patches.

  @Test
  void collectionNamesInTheBodyAreRefused() {
    SoftAssertions soft = new SoftAssertions();
    for (String p : namesToRefuse()) {
      String what = "POST /v1/collections name=" + show(p);
      Response r =
          call(what, () -> api.postJson(COLLECTIONS, DataPlane.collection(p, "title:text")));
      refused(soft, what, p, r, p.equals("items") ? 409 : 400);
    }
    soft.assertAll();
  }

  @Test
  void fieldNamesTypesFlagsAndRulesInADefinitionAreRefused() {
    SoftAssertions soft = new SoftAssertions();
    for (String p : corpus) {
      if (!fieldNamesToRefuse().contains(p)) {
        continue;
      }
      String what = "POST /v1/collections field name " + show(p);
      JsonObject body = DataPlane.collection("probe", "ok:text", p + ":text");
      refused(soft, what, p, call(what, () -> api.postJson(COLLECTIONS, body)), 400);
    }
    for (String p : corpus) {
      JsonObject field = new JsonObject().put("name", "probe_field").put("type", p);
      JsonObject body = collectionWith(field);
      String what = "POST /v1/collections field type " + show(p);
      refused(soft, what, p, call(what, () -> api.postJson(COLLECTIONS, body)), 400);

      JsonObject flag = new JsonObject().put("name", "f").put("type", "text").put("unique", p);
      String flagWhat = "POST /v1/collections unique=" + show(p);
      refused(
          soft,
          flagWhat,
          p,
          call(flagWhat, () -> api.postJson(COLLECTIONS, collectionWith(flag))),
          400);

      JsonObject member = new JsonObject().put("name", "f").put("type", "text").put(p, true);
      String memberWhat = "POST /v1/collections field member " + show(p);
      refused(
          soft,
          memberWhat,
          p,
          call(memberWhat, () -> api.postJson(COLLECTIONS, collectionWith(member))),
          400);

      JsonObject rules =
          DataPlane.collection("probe", "f:text")
              .put("rules", new JsonObject().put("read", p).put("write", "secret"));
      if (!RULES.contains(p)) {
        String rulesWhat = "POST /v1/collections rules.read=" + show(p);
        refused(soft, rulesWhat, p, call(rulesWhat, () -> api.postJson(COLLECTIONS, rules)), 400);
      }

      if (!Set.of("name", "fields", "rules").contains(p)) {
        JsonObject extra = DataPlane.collection("probe", "f:text").put(p, "x");
        String extraWhat = "POST /v1/collections member " + show(p);
        refused(soft, extraWhat, p, call(extraWhat, () -> api.postJson(COLLECTIONS, extra)), 400);
      }
    }
    soft.assertAll();
  }

  @Test
  void collectionPatchesWithHostileNamesAreRefused() {
    SoftAssertions soft = new SoftAssertions();
    for (String p : corpus) {
      if (fieldNamesToRefuse().contains(p)) {
        JsonObject add =
            new JsonObject()
                .put(
                    "addFields",
                    new JsonArray().add(new JsonObject().put("name", p).put("type", "text")));
        String what = "PATCH items addFields name=" + show(p);
        refused(soft, what, p, call(what, () -> api.patch(ITEMS, add)), 400);
      }
      JsonObject type =
          new JsonObject()
              .put(
                  "addFields",
                  new JsonArray().add(new JsonObject().put("name", "zz_new").put("type", p)));
      String typeWhat = "PATCH items addFields type=" + show(p);
      refused(soft, typeWhat, p, call(typeWhat, () -> api.patch(ITEMS, type)), 400);

      JsonObject index = new JsonObject().put("addIndexes", new JsonArray().add(p));
      String indexWhat = "PATCH items addIndexes " + show(p);
      refused(soft, indexWhat, p, call(indexWhat, () -> api.patch(ITEMS, index)), 400);

      JsonObject rules = new JsonObject().put("rules", new JsonObject().put("write", p));
      if (!RULES.contains(p)) {
        String rulesWhat = "PATCH items rules.write=" + show(p);
        refused(soft, rulesWhat, p, call(rulesWhat, () -> api.patch(ITEMS, rules)), 400);
      }

      if (!Set.of("addFields", "addIndexes", "rules").contains(p)) {
        JsonObject member = new JsonObject().put(p, new JsonArray());
        String memberWhat = "PATCH items member " + show(p);
        refused(soft, memberWhat, p, call(memberWhat, () -> api.patch(ITEMS, member)), 400);
      }
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Paths: collection names and record ids.

  @Test
  void collectionNamesInThePathAreNotFound() {
    SoftAssertions soft = new SoftAssertions();
    JsonObject addField =
        new JsonObject()
            .put(
                "addFields",
                new JsonArray().add(new JsonObject().put("name", "zz_new").put("type", "text")));
    JsonObject record = new JsonObject().put("title", "x");
    for (String p : corpus) {
      if (!pathProbe(p) || p.equals("items")) {
        continue;
      }
      String c = COLLECTIONS + "/" + seg(p);
      String at = " " + show(p);
      refused(soft, "GET collection" + at, p, call("GET " + c, () -> api.get(c)), 404);
      refused(
          soft, "PATCH collection" + at, p, call("PATCH " + c, () -> api.patch(c, addField)), 404);
      refused(
          soft,
          "GET records of" + at,
          p,
          call("GET records", () -> api.get(c + "/records?title=eq.x&count=exact")),
          404);
      refused(
          soft,
          "POST record to" + at,
          p,
          call("POST record", () -> api.postJson(c + "/records", record)),
          404);
      refused(
          soft,
          "POST batch to" + at,
          p,
          call(
              "POST batch",
              () ->
                  api.post(
                      c + "/records", "application/json", new JsonArray().add(record).encode())),
          404);
      refused(
          soft,
          "GET record of" + at,
          p,
          call("GET record", () -> api.get(c + "/records/" + seedId)),
          404);
      refused(
          soft,
          "PATCH record of" + at,
          p,
          call("PATCH record", () -> api.patch(c + "/records/" + seedId, record)),
          404);
      refused(
          soft,
          "DELETE record of" + at,
          p,
          call("DELETE record", () -> api.delete(c + "/records/" + seedId)),
          404);
      refused(soft, "DELETE collection" + at, p, call("DELETE " + c, () -> api.delete(c)), 404);
    }
    soft.assertAll();
  }

  @Test
  void recordIdsInThePathAreNotFound() {
    SoftAssertions soft = new SoftAssertions();
    JsonObject change = new JsonObject().put("note", "changed");
    List<String> ids = new ArrayList<>();
    for (String p : corpus) {
      ids.add(p);
      if (!p.isEmpty()) {
        ids.add(seedId + p); // a real id with something after it
      }
    }
    ids.add("00000000-0000-0000-0000-000000000000");
    ids.add("1-2-3-4-5");
    ids.add(seedId.replace("-", ""));
    ids.add("{" + seedId + "}");
    for (String id : ids) {
      if (!pathProbe(id)) {
        continue;
      }
      String path = RECORDS + "/" + seg(id);
      String at = " " + show(id);
      refused(soft, "GET record" + at, id, call("GET record", () -> api.get(path)), 404);
      refused(
          soft, "PATCH record" + at, id, call("PATCH record", () -> api.patch(path, change)), 404);
      refused(soft, "DELETE record" + at, id, call("DELETE record", () -> api.delete(path)), 404);
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // The query string.

  @Test
  void filterFieldNamesAndOperatorsAreRefused() {
    SoftAssertions soft = new SoftAssertions();
    for (String p : corpus) {
      String what = "filter field name " + show(p);
      Response r = call(what, () -> api.get(RECORDS + "?" + q(p) + "=eq.x&limit=1000"));
      if (p.equals("owner")) {
        // A real field, and "x" is nobody.
        soft.assertThat(r.status())
            .as("%s: status (%s)", what, abbreviate(r.body()))
            .isEqualTo(200);
        soft.assertThat(items(r)).as("%s: rows", what).isEmpty();
      } else {
        refused(soft, what, p, r, 400);
      }

      for (String condition : List.of(p + ".x", p, p + ".", p + ".1")) {
        int dot = condition.indexOf('.');
        if (dot >= 0 && OPS.contains(condition.substring(0, dot))) {
          continue; // a real operator, e.g. the probe "eq.x"
        }
        for (String field : List.of("title", "qty", "id")) {
          String opWhat = "filter operator " + field + "=" + show(condition);
          refused(
              soft,
              opWhat,
              p,
              call(opWhat, () -> api.get(RECORDS + "?" + field + "=" + q(condition))),
              400);
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void filterValuesAreBoundParametersNeverSql() {
    SoftAssertions soft = new SoftAssertions();
    for (String p : corpus) {
      boolean nul = p.indexOf('\u0000') >= 0;

      // text: any string is a value that matches only itself.
      checkTextFilter(soft, "title=eq." + q(p), p, nul, title -> title.equals(p));
      checkTextFilter(soft, "title=neq." + q(p), p, nul, title -> !title.equals(p));
      checkTail(soft, "title=gt." + q(p), p, nul);
      checkTextFilter(soft, "note=lte." + q(p), p, nul, null);
      checkTextFilter(
          soft, "title=like." + q(p), p, nul, title -> glob(p, false).matcher(title).matches());
      checkTextFilter(
          soft, "title=ilike." + q(p), p, nul, title -> glob(p, true).matcher(title).matches());
      String[] inValues = p.split(",", -1);
      boolean inRefused = nul || p.isEmpty() || inValues.length > 100;
      checkTextFilter(
          soft,
          "title=in.(" + q(p) + ")",
          p,
          inRefused,
          title -> List.of(inValues).contains(title));
      checkTextFilter(soft, "title=in." + q(p), p, true, null);

      // owner is text too; the secret key wrote every record with no owner.
      checkTextFilter(soft, "owner=eq." + q(p), p, nul, title -> false);

      // typed fields: a value that does not parse is a 400, one that does filters normally.
      checkTypedFilter(
          soft,
          "qty=eq." + q(p),
          p,
          isInteger(p),
          r -> r.getLong("qty") != null && r.getLong("qty") == Long.parseLong(p));
      checkTypedFilter(
          soft,
          "version=gte." + q(p),
          p,
          isInteger(p),
          r -> r.getLong("version") >= Long.parseLong(p));
      checkTypedFilter(
          soft,
          "price=lt." + q(p),
          p,
          isNumber(p),
          r -> r.getDouble("price") != null && r.getDouble("price") < Double.parseDouble(p));
      checkTypedFilter(
          soft,
          "qty=in.(" + q(p) + ")",
          p,
          isInteger(p),
          r -> r.getLong("qty") != null && r.getLong("qty") == Long.parseLong(p));
      checkTypedFilter(
          soft,
          "flag=is." + q(p),
          p,
          Set.of("null", "true", "false").contains(p),
          r ->
              p.equals("null")
                  ? r.getValue("flag") == null
                  : Boolean.valueOf(p).equals(r.getBoolean("flag")));
      checkTypedFilter(
          soft, "meta=is." + q(p), p, p.equals("null"), r -> r.getValue("meta") == null);
      checkTypedFilter(soft, "ref=eq." + q(p), p, false, null);
      checkTypedFilter(soft, "id=neq." + q(p), p, false, null);
      checkTypedFilter(soft, "at=gt." + q(p), p, false, null);
      checkTypedFilter(soft, "createdAt=lt." + q(p), p, false, null);
      checkTypedFilter(
          soft,
          "flag=eq." + q(p),
          p,
          Set.of("true", "false").contains(p),
          r -> Boolean.valueOf(p).equals(r.getBoolean("flag")));
    }
    soft.assertAll();
  }

  /**
   * {@code <query>&count=exact&limit=1000}: refused with 400, or 200 with exactly the seed records
   * whose title passes {@code matches} (null: only that nothing outside the seed comes back).
   */
  private void checkTextFilter(
      SoftAssertions soft,
      String query,
      String p,
      boolean refuse,
      java.util.function.Predicate<String> matches) {
    String what = "GET records?" + abbreviate(query);
    Response r = call(what, () -> api.get(RECORDS + "?" + query + "&count=exact&limit=1000"));
    if (refuse) {
      refused(soft, what, p, r, 400);
      return;
    }
    soft.assertThat(r.status()).as("%s: status (%s)", what, abbreviate(r.body())).isEqualTo(200);
    if (r.status() != 200) {
      return;
    }
    Set<String> returned = ids(r);
    soft.assertThat(seed.keySet()).as("%s: only existing records", what).containsAll(returned);
    soft.assertThat(r.json().getLong("total"))
        .as("%s: total", what)
        .isEqualTo((long) returned.size());
    if (matches != null) {
      Set<String> expected = new LinkedHashSet<>();
      seed.forEach(
          (id, record) -> {
            if (matches.test(record.getString("title"))) {
              expected.add(id);
            }
          });
      soft.assertThat(returned).as("%s: the rows the value matches", what).isEqualTo(expected);
    }
  }

  /**
   * {@code title=gt.<p>}: refused, or the rows after the value in the server's own title order (a
   * tail of it, whatever the database collation).
   */
  private void checkTail(SoftAssertions soft, String query, String p, boolean refuse) {
    String what = "GET records?" + abbreviate(query);
    Response r = call(what, () -> api.get(RECORDS + "?" + query + "&order=title.asc&limit=1000"));
    if (refuse) {
      refused(soft, what, p, r, 400);
      return;
    }
    soft.assertThat(r.status()).as("%s: status (%s)", what, abbreviate(r.body())).isEqualTo(200);
    assertTail(soft, what, r);
  }

  /** The page is the last rows of the seed in title order, in that order. */
  private void assertTail(SoftAssertions soft, String what, Response r) {
    List<String> returned = new ArrayList<>(ids(r));
    soft.assertThat(returned.size()).as("%s: at most every record", what).isLessThanOrEqualTo(SEED);
    if (returned.size() <= SEED) {
      soft.assertThat(returned)
          .as("%s: the records after the value, in title order", what)
          .isEqualTo(byTitle.subList(SEED - returned.size(), SEED));
    }
  }

  private void checkTypedFilter(
      SoftAssertions soft,
      String query,
      String p,
      boolean valid,
      java.util.function.Predicate<JsonObject> matches) {
    String what = "GET records?" + abbreviate(query);
    Response r = call(what, () -> api.get(RECORDS + "?" + query + "&count=exact&limit=1000"));
    if (!valid) {
      refused(soft, what, p, r, 400);
      return;
    }
    soft.assertThat(r.status()).as("%s: status (%s)", what, abbreviate(r.body())).isEqualTo(200);
    if (r.status() != 200) {
      return;
    }
    Set<String> expected = new LinkedHashSet<>();
    seed.forEach(
        (id, record) -> {
          if (matches.test(record)) {
            expected.add(id);
          }
        });
    soft.assertThat(ids(r)).as("%s: the rows the value matches", what).isEqualTo(expected);
  }

  @Test
  void orderSelectAfterLimitAndCountAreRefusedUnlessTheyNameRealThings() {
    SoftAssertions soft = new SoftAssertions();
    for (String p : corpus) {
      for (String order : List.of(p, "title." + p, "title.asc," + p, p + ".desc")) {
        String what = "order=" + show(order);
        Response r = call(what, () -> api.get(RECORDS + "?limit=1000&order=" + q(order)));
        if (validOrder(order)) {
          soft.assertThat(r.status())
              .as("%s: status (%s)", what, abbreviate(r.body()))
              .isEqualTo(200);
          soft.assertThat(ids(r)).as("%s: every record once", what).isEqualTo(seed.keySet());
        } else {
          refused(soft, what, p, r, 400);
        }
      }

      String selectWhat = "select=" + show(p);
      Response select = call(selectWhat, () -> api.get(RECORDS + "?limit=1000&select=" + q(p)));
      List<String> names = List.of(p.split(",", -1));
      if (QUERY_FIELDS.keySet().containsAll(names)) {
        soft.assertThat(select.status()).as("%s: status", selectWhat).isEqualTo(200);
        Set<String> allowed = new LinkedHashSet<>(names);
        allowed.addAll(List.of("id", "version"));
        for (JsonObject item : items(select)) {
          soft.assertThat(allowed).as("%s: members", selectWhat).containsAll(item.fieldNames());
        }
      } else {
        refused(soft, selectWhat, p, select, 400);
      }

      String afterWhat = "after=" + show(p);
      Response after = call(afterWhat, () -> api.get(RECORDS + "?after=" + q(p)));
      refused(soft, afterWhat, p, after, 400);
      soft.assertThat(problemCode(after)).as("%s: code", afterWhat).isEqualTo("invalid_cursor");

      String limitWhat = "limit=" + show(p);
      Response limit = call(limitWhat, () -> api.get(RECORDS + "?limit=" + q(p)));
      refused(soft, limitWhat, p, limit, 400);

      String countWhat = "count=" + show(p);
      Response count = call(countWhat, () -> api.get(RECORDS + "?count=" + q(p)));
      refused(soft, countWhat, p, count, 400);

      String twiceWhat = "order given twice, second " + show(p);
      Response twice = call(twiceWhat, () -> api.get(RECORDS + "?order=title.asc&order=" + q(p)));
      refused(soft, twiceWhat, p, twice, 400);
    }
    soft.assertAll();
  }

  @Test
  void craftedCursorsCarryValuesNeverSql() {
    SoftAssertions soft = new SoftAssertions();
    String uuid = "00000000-0000-0000-0000-000000000000";
    for (String p : corpus) {
      boolean nul = p.indexOf('\u0000') >= 0;
      // A well-formed cursor for order=title.asc whose title is the probe: rows after it.
      String cursor = cursor(new JsonArray().add(p).add(uuid));
      String what = "order=title.asc&after=[" + show(p) + ", uuid]";
      Response r =
          call(what, () -> api.get(RECORDS + "?order=title.asc&limit=1000&after=" + cursor));
      if (nul) {
        refused(soft, what, p, r, 400);
      } else {
        soft.assertThat(r.status())
            .as("%s: status (%s)", what, abbreviate(r.body()))
            .isEqualTo(200);
        assertTail(soft, what, r);
      }

      for (JsonArray bad :
          List.of(
              new JsonArray().add(p).add(p),
              new JsonArray().add(uuid).add(p),
              new JsonArray().add(p),
              new JsonArray().add(p).add(uuid).add(p))) {
        String badCursor = cursor(bad);
        for (String order : List.of("qty.asc", "createdAt.desc", "id.asc")) {
          String badWhat = "order=" + order + "&after=" + abbreviate(bad.encode());
          Response badPage =
              call(badWhat, () -> api.get(RECORDS + "?order=" + order + "&after=" + badCursor));
          refused(soft, badWhat, p, badPage, 400);
        }
      }
      String object = cursor(new JsonObject().put(p, p));
      String objectWhat = "after={" + show(p) + "}";
      refused(
          soft,
          objectWhat,
          p,
          call(objectWhat, () -> api.get(RECORDS + "?order=title.asc&after=" + object)),
          400);
    }
    soft.assertAll();
  }

  /**
   * The same positions with the probe sent as is: only what cannot appear in a request line is
   * percent-encoded (space, {@code # & ?}, controls and non-ASCII), so quotes, semicolons,
   * backslashes and percent forms such as {@code %27} or a malformed {@code %zz} reach the server's
   * own decoding.
   */
  @Test
  void rawQueryStringsAndPathsAreRefusedOrHarmless() throws IOException {
    SoftAssertions soft = new SoftAssertions();
    for (String p : corpus) {
      if (p.length() > 2_000) {
        continue; // long values are covered encoded; a raw one is just the same bytes
      }
      String raw = raw(p, false);
      List<String> targets =
          List.of(
              RECORDS + "?title=eq." + raw + "&count=exact",
              RECORDS + "?title=like." + raw + "&count=exact",
              RECORDS + "?qty=eq." + raw,
              RECORDS + "?" + raw + "=eq.x",
              RECORDS + "?title=" + raw,
              RECORDS + "?order=" + raw,
              RECORDS + "?select=" + raw,
              RECORDS + "?after=" + raw,
              RECORDS + "?limit=" + raw,
              RECORDS + "?count=" + raw,
              COLLECTIONS + "/" + raw(p, true) + "/records",
              RECORDS + "/" + raw(p, true));
      for (String target : targets) {
        String what = "raw GET " + abbreviate(target);
        Response r = call(what, () -> rawGet(target));
        if (r.status() == 200) {
          // Decoded to something legal (e.g. "+" is a space): it may only read existing rows.
          JsonObject page = tryJson(r.body());
          soft.assertThat(page).as("%s: JSON page", what).isNotNull();
          if (page != null && page.containsKey("items")) {
            soft.assertThat(seed.keySet()).as("%s: only existing rows", what).containsAll(ids(r));
            if (target.contains("?title=eq.")) {
              soft.assertThat(ids(r)).as("%s: no row has this title", what).isEmpty();
            }
          } else {
            soft.assertThat(target).as("%s: 200 without a page", what).contains("/records/");
          }
        } else {
          refused(soft, what, p, r, 400, 404);
        }
      }
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Record bodies.

  @Test
  void recordKeysThatAreNotFieldsAreRefused() {
    SoftAssertions soft = new SoftAssertions();
    String one = RECORDS + "/" + seedId;
    for (String p : corpus) {
      JsonObject alone = new JsonObject().put(p, "x");
      JsonObject mixed = new JsonObject().put("title", "fine").put(p, "x");
      String what = "record key " + show(p);
      refused(soft, "POST " + what, p, call(what, () -> api.postJson(RECORDS, alone)), 422);
      refused(soft, "POST mixed " + what, p, call(what, () -> api.postJson(RECORDS, mixed)), 422);
      JsonArray batch = new JsonArray().add(new JsonObject().put("title", "fine")).add(alone);
      refused(
          soft,
          "POST batch " + what,
          p,
          call(what, () -> api.post(RECORDS, "application/json", batch.encode())),
          422);
      refused(soft, "PATCH " + what, p, call(what, () -> api.patch(one, mixed)), 422);

      // Values of the wrong type for typed fields are refused too.
      for (String field : List.of("qty", "price", "flag", "at", "ref")) {
        JsonObject typed = new JsonObject().put("title", "fine").put(field, p);
        String typedWhat = "record " + field + "=" + show(p);
        refused(
            soft, "POST " + typedWhat, p, call(typedWhat, () -> api.postJson(RECORDS, typed)), 422);
        refused(soft, "PATCH " + typedWhat, p, call(typedWhat, () -> api.patch(one, typed)), 422);
      }
      if (p.indexOf('\u0000') >= 0) {
        JsonObject nul = new JsonObject().put("title", p);
        refused(soft, "POST title with NUL", p, call(what, () -> api.postJson(RECORDS, nul)), 422);
        refused(soft, "PATCH title with NUL", p, call(what, () -> api.patch(one, nul)), 422);
        JsonObject nulJson = new JsonObject().put("meta", new JsonObject().put(p, p));
        refused(
            soft, "POST json with NUL", p, call(what, () -> api.postJson(RECORDS, nulJson)), 422);
      }
    }
    soft.assertAll();
  }

  @Test
  void recordValuesAreStoredAndReadBackVerbatim() {
    SoftAssertions soft = new SoftAssertions();
    List<String> values = corpus.stream().filter(p -> p.indexOf('\u0000') < 0).toList();
    for (String p : values) {
      String what = "record value " + show(p);
      JsonObject meta = new JsonObject().put("k", p).put(p, new JsonArray().add(p));
      JsonObject body = new JsonObject().put("title", p).put("note", p).put("meta", meta);
      Response created = call(what, () -> api.postJson(RECORDS, body));
      soft.assertThat(created.status())
          .as("%s: insert (%s)", what, abbreviate(created.body()))
          .isEqualTo(201);
      if (created.status() != 201) {
        continue;
      }
      String id = created.json().getString("id");
      String path = RECORDS + "/" + id;
      soft.assertThat(created.json().getString("title")).as("%s: insert answer", what).isEqualTo(p);

      JsonObject read = call(what, () -> api.get(path)).json();
      soft.assertThat(read.getString("title")).as("%s: title read back", what).isEqualTo(p);
      soft.assertThat(read.getString("note")).as("%s: note read back", what).isEqualTo(p);
      soft.assertThat(read.getJsonObject("meta")).as("%s: json read back", what).isEqualTo(meta);

      // The stored value is found by itself, and only it.
      Response found =
          call(what, () -> api.get(RECORDS + "?count=exact&select=title&title=eq." + q(p)));
      soft.assertThat(found.status())
          .as("%s: filter (%s)", what, abbreviate(found.body()))
          .isEqualTo(200);
      if (found.status() == 200) {
        soft.assertThat(ids(found)).as("%s: filter finds it alone", what).containsExactly(id);
      }

      Response patched = call(what, () -> api.patch(path, new JsonObject().put("note", p + p)));
      soft.assertThat(patched.status()).as("%s: patch", what).isEqualTo(200);
      soft.assertThat(call(what, () -> api.get(path)).json().getString("note"))
          .as("%s: patched value read back", what)
          .isEqualTo(p + p);

      soft.assertThat(call(what, () -> api.delete(path)).status())
          .as("%s: delete", what)
          .isEqualTo(204);
      soft.assertThat(call(what, () -> api.get(path)).status()).as("%s: gone", what).isEqualTo(404);
    }

    // All of them in one batch: one statement per shape, every value bound.
    JsonArray batch = new JsonArray();
    values.forEach(p -> batch.add(new JsonObject().put("title", p).put("note", p)));
    Response created =
        call("batch of probes", () -> api.post(RECORDS, "application/json", batch.encode()));
    soft.assertThat(created.status())
        .as("batch insert (%s)", abbreviate(created.body()))
        .isEqualTo(201);
    if (created.status() == 201) {
      JsonArray stored = new JsonArray(created.body());
      for (int i = 0; i < stored.size(); i++) {
        String id = stored.getJsonObject(i).getString("id");
        JsonObject read = call("batch read", () -> api.get(RECORDS + "/" + id)).json();
        soft.assertThat(read.getString("title"))
            .as("batch value %s read back", show(values.get(i)))
            .isEqualTo(values.get(i));
        soft.assertThat(call("batch delete", () -> api.delete(RECORDS + "/" + id)).status())
            .as("batch delete")
            .isEqualTo(204);
      }
    }
    soft.assertAll();
  }

  /** Defaults are the one place client text is rendered into DDL: as escaped literals only. */
  @Test
  void defaultsAreLiteralsStoredVerbatim() {
    SoftAssertions soft = new SoftAssertions();
    List<String> values = corpus.stream().filter(p -> p.indexOf('\u0000') < 0).toList();
    List<String> first = values.subList(0, values.size() / 2);
    List<String> second = values.subList(values.size() / 2, values.size());
    JsonObject jsonDefault = new JsonObject();
    values.forEach(p -> jsonDefault.put(p, new JsonArray().add(p)));

    JsonArray fields = new JsonArray();
    for (int i = 0; i < first.size(); i++) {
      fields.add(
          new JsonObject().put("name", "d" + i).put("type", "text").put("default", first.get(i)));
    }
    fields.add(new JsonObject().put("name", "dj").put("type", "json").put("default", jsonDefault));
    JsonObject definition = new JsonObject().put("name", "probe_defaults").put("fields", fields);
    String path = COLLECTIONS + "/probe_defaults";
    Response created = call("create probe_defaults", () -> api.postJson(COLLECTIONS, definition));
    assertThat(created.status()).as(abbreviate(created.body())).isEqualTo(201);

    JsonArray more = new JsonArray();
    for (int i = 0; i < second.size(); i++) {
      more.add(
          new JsonObject().put("name", "e" + i).put("type", "text").put("default", second.get(i)));
    }
    Response patched =
        call(
            "patch probe_defaults", () -> api.patch(path, new JsonObject().put("addFields", more)));
    soft.assertThat(patched.status())
        .as("addFields with defaults (%s)", abbreviate(patched.body()))
        .isEqualTo(200);

    Response inserted =
        call("insert defaults", () -> api.postJson(path + "/records", new JsonObject()));
    soft.assertThat(inserted.status())
        .as("insert (%s)", abbreviate(inserted.body()))
        .isEqualTo(201);
    if (inserted.status() == 201) {
      JsonObject record = inserted.json();
      for (int i = 0; i < first.size(); i++) {
        soft.assertThat(record.getString("d" + i))
            .as("default %s", show(first.get(i)))
            .isEqualTo(first.get(i));
      }
      for (int i = 0; i < second.size(); i++) {
        soft.assertThat(record.getString("e" + i))
            .as("added default %s", show(second.get(i)))
            .isEqualTo(second.get(i));
      }
      soft.assertThat(record.getJsonObject("dj")).as("json default").isEqualTo(jsonDefault);
    }
    soft.assertThat(call("drop probe_defaults", () -> api.delete(path)).status()).isEqualTo(204);

    for (String p : corpus) {
      if (p.indexOf('\u0000') < 0) {
        continue;
      }
      JsonObject nul =
          collectionWith(new JsonObject().put("name", "d").put("type", "text").put("default", p));
      refused(
          soft,
          "default with NUL",
          p,
          call("default with NUL", () -> api.postJson(COLLECTIONS, nul)),
          400);
    }
    soft.assertAll();
  }

  /**
   * A 10,000-character text value in the order would make a cursor of about 13,400 characters; the
   * cursor names the record instead, and the {@code next} the API hands out is accepted back, page
   * after page.
   */
  @Test
  void longOrderValuesPageWithTheCursorsTheApiHandsOut() {
    checkLongOrderValuesPage("a".repeat(10_000));
  }

  /**
   * The same with non-ASCII text: 10,000 of U+2019 are 30,000 UTF-8 bytes, a cursor of values would
   * be about 40,000 characters, more than a request line may hold.
   */
  @Test
  void longNonAsciiOrderValuesPageWithTheCursorsTheApiHandsOut() {
    checkLongOrderValuesPage("\u2019".repeat(10_000));
  }

  private void checkLongOrderValuesPage(String prefix) {
    List<String> created = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Response r = api.postJson(RECORDS, new JsonObject().put("title", prefix + i));
        assertThat(r.status()).as(abbreviate(r.body())).isEqualTo(201);
        created.add(r.json().getString("id"));
      }
      List<String> seen = new ArrayList<>();
      String query = "?order=title.asc&limit=1&select=id&id=in.(" + String.join(",", created) + ")";
      String next = null;
      int pages = 0;
      do {
        String url = RECORDS + query + (next == null ? "" : "&after=" + next);
        Response page = api.get(url);
        assertThat(page.status())
            .as(
                "page %d (request line of %d characters, cursor of %d): %s",
                pages, url.length(), next == null ? 0 : next.length(), abbreviate(page.body()))
            .isEqualTo(200);
        seen.addAll(ids(page));
        next = page.json().getString("next");
      } while (next != null && ++pages < 10);
      assertThat(seen).as("every long-titled record once, in order").isEqualTo(created);
    } finally {
      created.forEach(id -> api.delete(RECORDS + "/" + id));
    }
  }

  /** Requests over the server's limits are refused as problems too, and change nothing. */
  @Test
  void overlongRequestsAreProblems() {
    SoftAssertions soft = new SoftAssertions();
    String huge = "x'; DROP TABLE items; --".repeat(2_000); // 48,000 characters, 100,000 encoded
    for (String path :
        List.of(
            RECORDS + "?title=eq." + q(huge),
            RECORDS + "?order=" + q(huge),
            COLLECTIONS + "/" + seg(huge) + "/records",
            RECORDS + "/" + seg(huge))) {
      String what = "GET " + abbreviate(path);
      refused(soft, what, huge, call(what, () -> api.get(path)), 414);
      String patchWhat = "PATCH " + abbreviate(path);
      Response patch = call(patchWhat, () -> api.patch(path, new JsonObject().put("note", "x")));
      refused(soft, patchWhat, huge, patch, 414);
    }
    String headerWhat = "a 48,000-character header";
    Response header = call(headerWhat, () -> api.withHeader("X-Probe", huge).get(RECORDS));
    refused(soft, headerWhat, huge, header, 431);
    soft.assertAll();
  }

  @Test
  void headersCarryNoSql() {
    SoftAssertions soft = new SoftAssertions();
    String one = RECORDS + "/" + seedId;
    for (String p : corpus) {
      if (p.isBlank() || !p.chars().allMatch(c -> c >= 0x20 && c < 0x7f) || p.length() > 4_000) {
        continue; // not sendable as a header value, or no header at all
      }
      if (p.equals("*")) {
        continue; // a valid precondition in both headers (any version), see PreconditionsTest
      }
      String what = "If-Match: " + show(p);
      Response r =
          call(
              what,
              () ->
                  api.withHeader("If-Match", p)
                      .patch(one, new JsonObject().put("note", "changed")));
      refused(soft, what, p, r, 400);

      String noneWhat = "If-None-Match: " + show(p);
      Response none = call(noneWhat, () -> api.withHeader("If-None-Match", p).get(one));
      soft.assertThat(none.status()).as("%s: status", noneWhat).isEqualTo(200);

      String keyWhat = "apikey: " + show(p);
      Response key = call(keyWhat, () -> plane.api.withHeader("apikey", p).get(RECORDS));
      refused(soft, keyWhat, p, key, 401);
    }
    soft.assertAll();
  }

  /** After every probe, whichever ran: each must have left both tenants as they were. */
  @AfterAll
  void nothingChangedAndNothingWaited() throws Exception {
    assertThat(snapshot(api).encodePrettily())
        .as("the tenant's collections and records, through the API")
        .isEqualTo(before.encodePrettily());
    assertThat(snapshot(otherApi).encodePrettily())
        .as("the other tenant's collections and records, through the API")
        .isEqualTo(otherBefore.encodePrettily());
    assertThat(tables())
        .as("every table of both schemas, with its row count")
        .isEqualTo(tablesBefore);
    assertThat(slowestMillis)
        .as("slowest request (%s): no pg_sleep ever ran", slowestRequest)
        .isLessThan(5_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers.

  /** Checks an error answer: status, problem+json with a code, and no SQL or Java text. */
  private void refused(
      SoftAssertions soft, String what, String probe, Response r, int... statuses) {
    List<Integer> allowed = new ArrayList<>();
    for (int s : statuses) {
      allowed.add(s);
    }
    soft.assertThat(r.status())
        .as("%s: status (body %s)", what, abbreviate(r.body()))
        .isIn(allowed.toArray());
    soft.assertThat(r.isProblem())
        .as("%s: application/problem+json, not %s", what, r.header("Content-Type").orElse("none"))
        .isTrue();
    JsonObject json = tryJson(r.body());
    soft.assertThat(json == null ? null : json.getValue("code"))
        .as("%s: a problem code in %s", what, abbreviate(r.body()))
        .isInstanceOf(String.class);
    String text = visibleText(json, r.body(), probe).toLowerCase(Locale.ROOT);
    for (String marker : LEAK_MARKERS) {
      soft.assertThat(text)
          .as("%s: no '%s' in %s", what, marker, abbreviate(r.body()))
          .doesNotContain(marker);
    }
  }

  /** The problem's texts with the probe, and the pieces of it that parsers echo, taken out. */
  private static String visibleText(JsonObject json, String body, String probe) {
    String text;
    if (json == null) {
      text = body == null ? "" : body;
    } else {
      StringBuilder all = new StringBuilder();
      all.append(json.getValue("detail")).append('\n');
      JsonArray errors = json.getJsonArray("errors", new JsonArray());
      for (Object e : errors) {
        JsonObject error = (JsonObject) e;
        all.append(error.getValue("field"))
            .append(": ")
            .append(error.getValue("message"))
            .append('\n');
      }
      text = all.toString();
    }
    // Parsers echo pieces: order and in split on ',', order on '.', the query decoder on ';'.
    // Short pieces hold no marker, and taking out "," or "." would join words into false ones.
    List<String> pieces = new ArrayList<>(List.of(probe.split("[,.;=&]")));
    pieces.add(0, probe);
    for (String piece : pieces) {
      if (piece.length() >= 5) {
        text = text.replace(piece, "");
      }
    }
    return text;
  }

  private static String problemCode(Response r) {
    JsonObject json = tryJson(r.body());
    return json == null ? null : json.getString("code");
  }

  private Response call(String what, Supplier<Response> request) {
    long start = System.nanoTime();
    Response response;
    try {
      response = request.get();
    } catch (RuntimeException e) {
      // No answer at all (the connection closed): a status no assertion accepts, and the reason.
      response =
          new Response(
              -1, HttpHeaders.of(Map.of(), (a, b) -> true), "no response: " + e.getMessage());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (millis > slowestMillis) {
      slowestMillis = millis;
      slowestRequest = what;
    }
    return response;
  }

  /** Names that must not name a collection: all but the legal, unreserved ones of the corpus. */
  private List<String> namesToRefuse() {
    return corpus.stream()
        .filter(
            p ->
                !NAME.matcher(p).matches()
                    || Set.of(
                            "select",
                            "id",
                            "owner",
                            "version",
                            "created_at",
                            "null",
                            "true",
                            "plinth_collections",
                            "pg_catalog",
                            "items")
                        .contains(p))
        .toList();
  }

  /** As {@link #namesToRefuse}, without "items" (a legal field name). */
  private List<String> fieldNamesToRefuse() {
    return namesToRefuse().stream().filter(p -> !p.equals("items")).toList();
  }

  private static JsonObject collectionWith(JsonObject field) {
    return new JsonObject().put("name", "probe").put("fields", new JsonArray().add(field));
  }

  /**
   * Probes for a path segment: not empty, blank or dot segments, which name other routes (the list,
   * or a parent after normalization) rather than a collection or record.
   */
  private static boolean pathProbe(String p) {
    return !p.isBlank() && !p.equals(".") && !p.equals("..");
  }

  /** The order parameter as DESIGN defines it: known, orderable, distinct fields, asc or desc. */
  private static boolean validOrder(String order) {
    Set<String> seen = new java.util.HashSet<>();
    for (String term : order.split(",", -1)) {
      int dot = term.lastIndexOf('.');
      String name = dot < 0 ? term : term.substring(0, dot);
      String direction = dot < 0 ? "asc" : term.substring(dot + 1);
      if (!QUERY_FIELDS.containsKey(name)
          || QUERY_FIELDS.get(name)
          || !Set.of("asc", "desc").contains(direction)
          || !seen.add(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isInteger(String p) {
    if (!INTEGER.matcher(p).matches()) {
      return false;
    }
    try {
      Long.parseLong(p);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isNumber(String p) {
    return NUMBER.matcher(p).matches() && Double.isFinite(Double.parseDouble(p));
  }

  /** A like pattern as DESIGN defines it: {@code *} is the wildcard, everything else literal. */
  private static Pattern glob(String pattern, boolean ignoreCase) {
    String[] pieces = pattern.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pieces.length; i++) {
      regex.append(i == 0 ? "" : ".*").append(Pattern.quote(pieces[i]));
    }
    int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    return Pattern.compile(regex.toString(), flags);
  }

  private static String cursor(Object json) {
    String text = json instanceof JsonArray a ? a.encode() : ((JsonObject) json).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(UTF_8));
  }

  private static String q(String s) {
    return URLEncoder.encode(s, UTF_8);
  }

  /** A path segment: URLEncoder's form with spaces as %20 ("+" is a literal plus in a path). */
  private static String seg(String s) {
    return URLEncoder.encode(s, UTF_8).replace("+", "%20");
  }

  /**
   * The probe as sent raw: only bytes that cannot appear in a request line, and the delimiters of
   * the part it goes in, are percent-encoded; {@code %} itself is left alone.
   */
  private static String raw(String p, boolean pathSegment) {
    StringBuilder out = new StringBuilder();
    for (byte b : p.getBytes(UTF_8)) {
      int c = b & 0xff;
      boolean delimiter = c == '#' || c == '&' || c == '?' || (pathSegment && c == '/');
      if (c <= 0x20 || c >= 0x7f || delimiter) {
        out.append(String.format("%%%02X", c));
      } else {
        out.append((char) c);
      }
    }
    return out.toString();
  }

  /** A GET written byte for byte on a socket, so the request line is exactly {@code target}. */
  private Response rawGet(String target) {
    URI base = URI.create(plane.api.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      String request =
          "GET "
              + target
              + " HTTP/1.1\r\nHost: "
              + base.getHost()
              + ":"
              + base.getPort()
              + "\r\napikey: "
              + tenant.secretKey()
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(UTF_8));
      out.flush();
      return parseResponse(socket.getInputStream());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Response parseResponse(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    String text = new String(all, UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
      body = dechunk(body);
    }
    return new Response(status, HttpHeaders.of(headers, (a, b) -> true), body);
  }

  private static String dechunk(String body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = body.getBytes(UTF_8);
    int i = 0;
    while (i < bytes.length) {
      int lineEnd = body.indexOf("\r\n", i);
      int size = Integer.parseInt(body.substring(i, lineEnd).trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(bytes, lineEnd + 2, size);
      i = lineEnd + 2 + size + 2;
    }
    return out.toString(UTF_8);
  }

  private static JsonObject tryJson(String body) {
    try {
      return body == null || body.isEmpty() ? null : new JsonObject(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<JsonObject> items(Response r) {
    List<JsonObject> items = new ArrayList<>();
    JsonObject page = tryJson(r.body());
    if (page != null && page.getValue("items") instanceof JsonArray array) {
      array.forEach(i -> items.add((JsonObject) i));
    }
    return items;
  }

  private static Set<String> ids(Response r) {
    Set<String> ids = new LinkedHashSet<>();
    items(r).forEach(i -> ids.add(i.getString("id")));
    return ids;
  }

  /** Every collection definition and every record of each, read through the API. */
  private static JsonObject snapshot(PlinthClient client) {
    Response list = client.get(COLLECTIONS);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    JsonObject snapshot = new JsonObject().put("collections", list.json().getJsonArray("items"));
    JsonObject records = new JsonObject();
    for (Object c : list.json().getJsonArray("items")) {
      String name = ((JsonObject) c).getString("name");
      JsonArray all = new JsonArray();
      String next = null;
      do {
        Response page =
            client.get(
                COLLECTIONS
                    + "/"
                    + name
                    + "/records?order=id.asc&limit=1000"
                    + (next == null ? "" : "&after=" + next));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        page.json().getJsonArray("items").forEach(all::add);
        next = page.json().getString("next");
      } while (next != null);
      records.put(name, all);
    }
    return snapshot.put("records", records);
  }

  /** "schema.table" to row count for every table of the two tenants' schemas, read directly. */
  private Map<String, Long> tables() throws Exception {
    Map<String, Long> tables = new TreeMap<>();
    try (Connection c = plane.database.connect()) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement list =
          c.prepareStatement(
              "SELECT schemaname || '.' || tablename FROM pg_tables"
                  + " WHERE schemaname IN (?, ?) ORDER BY 1")) {
        list.setString(1, tenant.schema());
        list.setString(2, other.schema());
        try (ResultSet rs = list.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
      }
      for (String name : names) {
        String[] parts = name.split("\\.", 2);
        if (parts[1].equals("plinth_changes")) {
          // The change log grows with the run's own writes (stored, then deleted): only that it
          // is still there counts.
          tables.put(name, -1L);
          continue;
        }
        try (ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM \"" + parts[0] + "\".\"" + parts[1] + "\"")) {
          rs.next();
          tables.put(name, rs.getLong(1));
        }
      }
    }
    return tables;
  }

  /** A probe for a message: control characters escaped, long ones cut. */
  private static String show(String p) {
    StringBuilder out = new StringBuilder("\"");
    String head = p.length() > 60 ? p.substring(0, 60) : p;
    for (char c : head.toCharArray()) {
      if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
    if (p.length() > 60) {
      out.append("…(").append(p.length()).append(" chars)");
    }
    return out.toString();
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + " chars)" : text;
  }
}
