package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tenant A, holding everything it could learn about tenant B (record ids, collection names,
 * cursors, values), sends thousands of randomized requests: none returns or changes B's data, and
 * each is paired with the same request on A's own data, which works.
 */
@ExtendWith(SharedDataPlane.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationIT {

  private static final String RECORDS = "/v1/collections/items/records";
  private static final int REQUESTS = 1500;
  private DataPlane plane;
  private PlinthClient a;
  private PlinthClient b;
  private final List<String> idsOfA = new ArrayList<>();
  private final List<String> idsOfB = new ArrayList<>();
  private final List<String> cursorsOfB = new ArrayList<>();

  @BeforeAll
  void start(DataPlane shared) {
    plane = shared;
    a = plane.as(plane.newTenant("internal").secretKey()); // a flood: no rate limit
    b = plane.as(plane.newTenant("internal").secretKey());
    seed(a, "A", idsOfA);
    seed(b, "B", idsOfB);
    JsonObject onlyB = DataPlane.collection("b_only", "title:text");
    assertThat(b.postJson("/v1/collections", onlyB).status()).isEqualTo(201);
    String next = null;
    do {
      JsonObject page =
          b.get(RECORDS + "?order=title.asc&limit=7" + (next == null ? "" : "&after=" + next))
              .json();
      next = page.getString("next");
      if (next != null) {
        cursorsOfB.add(next);
      }
    } while (next != null);
  }

  private static void seed(PlinthClient tenant, String prefix, List<String> ids) {
    JsonObject items = DataPlane.collection("items", "title:text", "n:integer");
    assertThat(tenant.postJson("/v1/collections", items).status()).isEqualTo(201);
    JsonArray records = new JsonArray();
    for (int i = 0; i < 40; i++) {
      records.add(new JsonObject().put("title", prefix + "-" + i).put("n", i));
    }
    Response created = tenant.post(RECORDS, "application/json", records.encode());
    assertThat(created.status()).isEqualTo(201);
    new JsonArray(created.body()).forEach(r -> ids.add(((JsonObject) r).getString("id")));
  }

  @Test
  void tenantACanNeverReachTenantBsData() {
    Random random = new Random(20261128L);
    for (int i = 0; i < REQUESTS; i++) {
      String theirs = idsOfB.get(random.nextInt(idsOfB.size()));
      String mine = idsOfA.get(random.nextInt(idsOfA.size()));
      switch (random.nextInt(7)) {
        case 0 -> {
          assertThat(a.get(RECORDS + "/" + theirs).status()).isEqualTo(404);
          assertThat(a.get(RECORDS + "/" + mine).json().getString("title")).startsWith("A-");
        }
        case 1 -> {
          assertThat(
                  a.patch(RECORDS + "/" + theirs, new JsonObject().put("title", "A-stolen"))
                      .status())
              .isEqualTo(404);
          assertThat(a.patch(RECORDS + "/" + mine, new JsonObject().put("n", i)).status())
              .isEqualTo(200);
        }
        case 2 -> assertThat(a.delete(RECORDS + "/" + theirs).status()).isEqualTo(404);
        case 3 -> {
          assertThat(items(a, "?id=eq." + theirs)).isEmpty();
          assertThat(items(a, "?id=eq." + mine)).hasSize(1);
        }
        case 4 -> {
          String cursor = cursorsOfB.get(random.nextInt(cursorsOfB.size()));
          Response page = a.get(RECORDS + "?order=title.asc&limit=7&after=" + cursor);
          assertThat(page.status()).isIn(200, 400);
          if (page.status() == 200) {
            assertThat(titles(page.json())).allSatisfy(t -> assertThat(t).startsWith("A-"));
          }
        }
        case 5 -> {
          assertThat(items(a, "?title=like.B-*")).isEmpty();
          assertThat(items(a, "?title=like.A-*&limit=1000")).hasSize(40);
        }
        default -> {
          assertThat(a.get("/v1/collections/b_only").status()).isEqualTo(404);
          assertThat(a.get("/v1/collections/b_only/records").status()).isEqualTo(404);
          assertThat(a.get("/v1/collections/items").status()).isEqualTo(200);
        }
      }
    }
    JsonObject all = b.get(RECORDS + "?limit=1000&count=exact").json();
    assertThat(all.getLong("total")).isEqualTo(40);
    assertThat(
            all.getJsonArray("items").stream()
                .map(r -> ((JsonObject) r).getLong("version"))
                .distinct())
        .containsExactly(1L);
    assertThat(titles(all)).allSatisfy(t -> assertThat(t).startsWith("B-"));
  }

  private static List<Object> items(PlinthClient client, String query) {
    Response page = client.get(RECORDS + query);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    return page.json().getJsonArray("items").getList();
  }

  private static List<String> titles(JsonObject page) {
    List<String> titles = new ArrayList<>();
    page.getJsonArray("items").forEach(r -> titles.add(((JsonObject) r).getString("title")));
    return titles;
  }
}
