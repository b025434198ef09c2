package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Queries over HTTP: filters, order, keyset pages, select, count, errors, isolation. */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIT {

  private static final String RECORDS = "/v1/collections/items/records";
  private DataPlane plane;
  private DataPlane.Tenant tenant;
  private PlinthClient api;

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    tenant = plane.newTenant();
    api = plane.as(tenant.secretKey());
    JsonObject items = DataPlane.collection("items", "title:text", "price:number", "qty:integer");
    assertThat(api.postJson("/v1/collections", items).status()).isEqualTo(201);
    JsonArray seed = new JsonArray();
    for (int i = 0; i < 25; i++) {
      JsonObject record =
          new JsonObject().put("title", (i % 2 == 0 ? "lamp " : "desk ") + i).put("qty", i % 4);
      if (i % 5 != 0) {
        record.put("price", (double) (i % 7));
      }
      seed.add(record);
    }
    assertThat(api.post(RECORDS, "application/json", seed.encode()).status()).isEqualTo(201);
  }

  private JsonObject page(String query) {
    Response response = api.get(RECORDS + "?" + query);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static List<JsonObject> items(JsonObject page) {
    List<JsonObject> items = new ArrayList<>();
    page.getJsonArray("items").forEach(i -> items.add((JsonObject) i));
    return items;
  }

  @Test
  void filtersAreAndedAndTypedByTheirField() {
    assertThat(items(page("price=gt.4&limit=1000")))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getDouble("price")).isGreaterThan(4));
    assertThat(items(page("price=gte.2&price=lt.4&limit=1000")))
        .allSatisfy(r -> assertThat(r.getDouble("price")).isBetween(2.0, 3.99));
    assertThat(items(page("title=like.lamp*&limit=1000"))).hasSize(13);
    assertThat(items(page("qty=in.(1,3)&limit=1000")))
        .allSatisfy(r -> assertThat(r.getLong("qty")).isIn(1L, 3L));
    assertThat(items(page("price=is.null&limit=1000"))).hasSize(5);
    assertThat(items(page("title=ilike.DESK*&qty=eq.1&limit=1000")))
        .allSatisfy(r -> assertThat(r.getString("title")).startsWith("desk"));
  }

  @Test
  void keysetPagesVisitEveryRecordOnceInOrderEvenWithInsertsBetweenPages() {
    List<JsonObject> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      JsonObject page =
          page("order=price.desc,title.asc&limit=4" + (next == null ? "" : "&after=" + next));
      seen.addAll(items(page));
      next = page.getString("next");
      if (pages++ == 1) {
        // A record that sorts before the current position must not disturb the walk.
        api.postJson(RECORDS, new JsonObject().put("title", "zz late").put("price", 100.0));
      }
    } while (next != null && pages < 100);

    List<JsonObject> original =
        seen.stream().filter(r -> !"zz late".equals(r.getString("title"))).toList();
    assertThat(original).hasSize(25);
    assertThat(seen.stream().map(r -> r.getString("id")).distinct()).hasSize(seen.size());
    Comparator<JsonObject> byPriceDescNullsLast =
        Comparator.comparing(
            (JsonObject r) -> r.getDouble("price"),
            Comparator.nullsLast(Comparator.<Double>reverseOrder()));
    assertThat(original)
        .isSortedAccordingTo(byPriceDescNullsLast.thenComparing(r -> r.getString("title")));
  }

  @Test
  void selectAndCountShapeTheAnswer() {
    JsonObject page = page("select=title&count=exact&limit=3&title=like.lamp*");
    assertThat(page.getLong("total")).isEqualTo(13);
    assertThat(items(page)).hasSize(3);
    assertThat(items(page).get(0).fieldNames()).containsExactlyInAnyOrder("id", "version", "title");
    assertThat(page.getString("next")).isNotNull();
  }

  @Test
  void badQueriesAre400WithEveryParameterNamed() {
    Response bad = api.get(RECORDS + "?colour=eq.red&price=gt.cheap&limit=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("code")).isEqualTo("invalid_query");
    List<String> fields = new ArrayList<>();
    bad.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    assertThat(fields).contains("colour", "price", "limit");

    Response cursor =
        api.get(RECORDS + "?after=" + URLEncoder.encode("not-a-cursor!", StandardCharsets.UTF_8));
    assertThat(cursor.status()).isEqualTo(400);
    assertThat(cursor.json().getString("code")).isEqualTo("invalid_cursor");
    assertThat(api.get("/v1/collections/nothing/records").status()).isEqualTo(404);
  }

  @Test
  void anotherTenantsQueryNeverReturnsTheseRecords() {
    DataPlane.Tenant other = plane.newTenant();
    PlinthClient otherApi = plane.as(other.secretKey());
    assertThat(
            otherApi
                .postJson(
                    "/v1/collections",
                    new JsonObject()
                        .put("name", "items")
                        .put(
                            "fields",
                            new JsonArray()
                                .add(new JsonObject().put("name", "title").put("type", "text"))))
                .status())
        .isEqualTo(201);
    JsonObject page = otherApi.get(RECORDS + "?count=exact&limit=1000").json();
    assertThat(page.getLong("total")).isZero();
    assertThat(page.getJsonArray("items")).isEmpty();
  }
}
