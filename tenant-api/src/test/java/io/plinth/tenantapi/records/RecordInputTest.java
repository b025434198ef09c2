package io.plinth.tenantapi.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The insert parser: one record or a batch, checked against the collection. */
class RecordInputTest {

  private static final CollectionDefinition ITEMS =
      CollectionDefinition.fromJson(
          new JsonObject(
              """
              {"name": "items",
               "fields": [{"name": "title", "type": "text", "required": true},
                          {"name": "qty", "type": "integer"}]}
              """));

  @Test
  void oneObjectIsOneRecord() {
    assertThat(RecordInput.forInsert(ITEMS, new JsonObject().put("qty", 2).put("title", "a")))
        .containsExactly(Map.of("qty", 2L, "title", "a"));
  }

  @Test
  void anArrayIsABatchInItsOrder() {
    JsonArray batch =
        new JsonArray()
            .add(new JsonObject().put("title", "a"))
            .add(new JsonObject().put("title", "b"));
    assertThat(RecordInput.forInsert(ITEMS, batch))
        .containsExactly(Map.of("title", "a"), Map.of("title", "b"));
  }

  @Test
  void aBatchHoldsOneToAThousandRecords() {
    JsonArray full = new JsonArray();
    IntStream.range(0, RecordInput.MAX_BATCH)
        .forEach(i -> full.add(new JsonObject().put("title", "t")));
    assertThat(RecordInput.forInsert(ITEMS, full)).hasSize(1000);

    for (JsonArray wrong :
        List.of(new JsonArray(), full.copy().add(new JsonObject().put("title", "t")))) {
      Problem problem = refusal(() -> RecordInput.forInsert(ITEMS, wrong));
      assertThat(problem.status()).as("%s records", wrong.size()).isEqualTo(400);
      assertThat(problem.code()).isEqualTo("invalid_batch");
    }
  }

  @Test
  void everyBadRecordOfABatchIsNamedByItsIndex() {
    JsonArray batch =
        new JsonArray()
            .add(new JsonObject().put("title", "fine"))
            .add("not an object")
            .add(new JsonObject().put("qty", "many"))
            .add(new JsonObject().put("title", "x").put("id", "mine"));

    Problem problem = refusal(() -> RecordInput.forInsert(ITEMS, batch));

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.code()).isEqualTo("invalid_record");
    assertThat(problem.detail()).isEqualTo("records do not fit collection 'items'");
    assertThat(problem.errors())
        .extracting(Problem.FieldError::field)
        .containsExactly("[1]", "[2].qty", "[2].title", "[3].id");
  }

  @Test
  void aSingleBadRecordNamesItsFieldsWithoutAnIndex() {
    Problem problem = refusal(() -> RecordInput.forInsert(ITEMS, new JsonObject().put("qty", 1)));
    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.detail()).isEqualTo("the record does not fit collection 'items'");
    assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("title");
  }

  private static Problem refusal(ThrowingCallable parse) {
    Throwable thrown = catchThrowable(parse);
    assertThat(thrown).isInstanceOf(ProblemException.class);
    return ((ProblemException) thrown).problem();
  }
}
