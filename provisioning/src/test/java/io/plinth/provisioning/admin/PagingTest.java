package io.plinth.provisioning.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagingTest {

  private final List<Problem.FieldError> errors = new ArrayList<>();

  private static MultiMap query(String... namesAndValues) {
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      query.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return query;
  }

  @Test
  void withoutParametersTheFirstPageOfTheDefaultLimit() {
    assertThat(Paging.from(query(), errors))
        .isEqualTo(new Paging(Optional.empty(), Paging.DEFAULT_LIMIT));
    assertThat(errors).isEmpty();
  }

  @Test
  void afterIsAnIdAndLimitAWholeNumberUpToTheMaximum() {
    UUID after = UUID.randomUUID();
    assertThat(Paging.from(query("after", after.toString(), "limit", "1000"), errors))
        .isEqualTo(new Paging(Optional.of(after), 1000));
    assertThat(errors).isEmpty();
  }

  @Test
  void everyBadParameterIsNamed() {
    for (String limit : List.of("0", "1001", "ten", "-1", "1.5")) {
      errors.clear();
      Paging.from(query("after", "nope", "limit", limit), errors);
      assertThat(errors)
          .as("limit=%s", limit)
          .containsExactly(
              new Problem.FieldError("after", "not a valid id"),
              new Problem.FieldError("limit", "a whole number from 1 to 1000"));
    }
  }

  @Test
  void aPageOfOneRowMoreThanTheLimitNamesItsLastIdAsNext() {
    Paging paging = new Paging(Optional.empty(), 2);
    List<UUID> ids = IntStream.range(0, paging.fetch()).mapToObj(i -> UUID.randomUUID()).toList();

    JsonObject page = paging.page(ids, id -> new JsonObject().put("id", id.toString()), id -> id);

    assertThat(paging.fetch()).isEqualTo(3);
    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(page.getString("next")).isEqualTo(ids.get(1).toString());
    JsonObject last = paging.page(ids.subList(0, 2), id -> new JsonObject(), id -> id);
    assertThat(last.getJsonArray("items")).hasSize(2);
    assertThat(last.containsKey("next")).isTrue();
    assertThat(last.getString("next")).isNull();
  }
}
