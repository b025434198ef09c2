package io.plinth.tenantapi.collections;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class QueryParameterNamesTest {

  @Test
  void fieldsMayNotTakeTheNamesOfQueryParameters() {
    for (String name : Names.QUERY_PARAMETERS) {
      JsonObject body =
          new JsonObject()
              .put("name", "things")
              .put(
                  "fields",
                  new JsonArray().add(new JsonObject().put("name", name).put("type", "text")));
      assertThatThrownBy(() -> CollectionDefinition.fromJson(body))
          .isInstanceOf(ProblemException.class)
          .satisfies(
              e ->
                  org.assertj.core.api.Assertions.assertThat(
                          ((ProblemException) e).problem().errors())
                      .anySatisfy(
                          error ->
                              org.assertj.core.api.Assertions.assertThat(error.field())
                                  .isEqualTo("fields[0].name")));
    }
  }
}
