package io.plinth.provisioning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** What of an operator's data request reaches the data plane, and what is refused before. */
class DataPathTest {

  @Test
  void aPathGoesUnderV1AsSentWithItsQuery() {
    assertThat(DataPath.of("collections/items/records").target("filter=price%3E3&limit=2"))
        .isEqualTo("/v1/collections/items/records?filter=price%3E3&limit=2");
    assertThat(DataPath.of("collections").target(null)).isEqualTo("/v1/collections");
    assertThat(DataPath.of("collections/a%20b").target("")).isEqualTo("/v1/collections/a%20b");
  }

  @Test
  void pathsThatCouldLeaveV1AreRefused() {
    for (String path :
        new String[] {
          "",
          "..",
          "collections/../../admin",
          "collections/%2e%2e/x",
          "collections/%2E./x",
          "./collections",
          "collections//records",
          "collections/",
          "collections%2Fitems",
          "collections%2fitems",
          "collections%5Citems",
          "collections\\items",
          "collections/%00",
          "collections/%zz"
        }) {
      ProblemException refused =
          catchThrowableOfType(() -> DataPath.of(path), ProblemException.class);
      assertThat(refused).as(path).isNotNull();
      assertThat(refused.problem().status()).as(path).isEqualTo(400);
      assertThat(refused.problem().code()).as(path).isEqualTo("invalid_path");
    }
  }

  @Test
  void changeStreamsAreNotForwarded() {
    for (String path : new String[] {"collections/items/changes", "collections/items/%63hanges"}) {
      ProblemException refused =
          catchThrowableOfType(() -> DataPath.of(path), ProblemException.class);
      assertThat(refused.problem().status()).as(path).isEqualTo(404);
      assertThat(refused.problem().code()).isEqualTo("not_forwarded");
    }
    assertThat(DataPath.of("collections/changes/records").target(null))
        .as("a collection named changes")
        .isEqualTo("/v1/collections/changes/records");
  }

  @Test
  void onlyTheBodysTypeThePreconditionsTheRequestIdAndTheTenantsKeyAreSent() {
    MultiMap sent =
        MultiMap.caseInsensitiveMultiMap()
            .add("Authorization", "Bearer plinth_ok_operator")
            .add("apikey", "plinth_ok_operator")
            .add("Cookie", "session=1")
            .add("content-type", "application/json")
            .add("If-Match", "\"3\"")
            .add("If-None-Match", "\"4\"")
            .add("Host", "control-plane");

    MultiMap forwarded = DataForwarder.headers(sent, "req-1", "plinth_sk_tenant");

    assertThat(forwarded.names())
        .containsExactlyInAnyOrder(
            "Content-Type", "If-Match", "If-None-Match", "X-Request-Id", "apikey");
    assertThat(forwarded.get("apikey")).isEqualTo("plinth_sk_tenant");
    assertThat(forwarded.get("Content-Type")).isEqualTo("application/json");
    assertThat(forwarded.get("If-Match")).isEqualTo("\"3\"");
    assertThat(forwarded.get("X-Request-Id")).isEqualTo("req-1");
  }

  @Test
  void theDataPathIsWhatFollowsData() {
    assertThat(DataRoutes.afterData("/admin/v1/tenants/acme/data/collections/items"))
        .isEqualTo("collections/items");
    assertThat(DataRoutes.afterData("/admin/v1/tenants/acme/data/collections/data/x"))
        .isEqualTo("collections/data/x");
    assertThat(DataRoutes.afterData("/admin/v1/tenants/data-x/data/collections"))
        .isEqualTo("collections");
    assertThat(DataRoutes.afterData("/admin/v1/tenants/acme/data/")).isEmpty();
    assertThat(DataRoutes.afterData("/admin/v1/tenants/acme/data")).isEmpty();
  }

  @Test
  void aDataPlaneLocationBecomesThePathThroughTheControlPlane() {
    assertThat(DataPath.location("acme", "/v1/collections/items/records/r1"))
        .isEqualTo("/admin/v1/tenants/acme/data/collections/items/records/r1");
    assertThat(DataPath.location("acme", "https://elsewhere.example/x"))
        .isEqualTo("https://elsewhere.example/x");
  }
}
