package io.plinth.tenantapi.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.FieldDefinition;
import io.plinth.tenantapi.collections.FieldType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

final class Fixtures {

  private Fixtures() {}

  static final CollectionDefinition ITEMS =
      new CollectionDefinition(
          "items",
          List.of(
              FieldDefinition.of("title", FieldType.TEXT),
              FieldDefinition.of("qty", FieldType.INTEGER),
              FieldDefinition.of("price", FieldType.NUMBER),
              FieldDefinition.of("published", FieldType.BOOLEAN),
              FieldDefinition.of("due", FieldType.TIMESTAMP),
              FieldDefinition.of("ref", FieldType.UUID),
              FieldDefinition.of("meta", FieldType.JSON)),
          null);

  static QueryField field(String name) {
    return QueryField.resolve(ITEMS, name).orElseThrow();
  }

  /** {@code params("a", "1", "a", "2", "b", "3")}: repeated names collect their values in order. */
  static Map<String, List<String>> params(String... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
    }
    return map;
  }

  static Query parse(String... pairs) {
    return QueryParser.parse(ITEMS, params(pairs));
  }

  /** The problem a failing call throws. */
  static Problem problem(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ProblemException.class);
    Problem problem = ((ProblemException) thrown).problem();
    assertThat(problem.status()).isEqualTo(400);
    return problem;
  }

  /** The field errors of a failing parse as "param: message" lines. */
  static List<String> errors(String... pairs) {
    Problem problem = problem(() -> parse(pairs));
    assertThat(problem.code()).isEqualTo("invalid_query");
    return problem.errors().stream().map(e -> e.field() + ": " + e.message()).toList();
  }
}
