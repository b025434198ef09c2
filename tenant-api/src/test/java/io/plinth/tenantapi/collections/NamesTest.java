package io.plinth.tenantapi.collections;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "items", "order_lines", "x9", "name", "type", "text", "count"})
  void plainNamesPass(String name) {
    assertThat(Names.problem(name)).isEmpty();
  }

  @Test
  void atMost63Characters() {
    assertThat(Names.problem("a".repeat(63))).isEmpty();
    assertThat(Names.problem("a".repeat(64))).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1a", "_a", "Items", "a-b", "a b", "a\"b", "é", "a;drop"})
  void patternViolationsAreRefused(String name) {
    assertThat(Names.problem(name)).get().asString().startsWith("must be 1 to 63 characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "select", "from", "where", "table", "user", "order", "group", "limit", "offset", "all",
        "and", "or", "not", "null", "true", "false", "primary", "references", "check", "default",
        "join", "like", "ilike", "is", "system_user", "current_user", "unique", "with"
      })
  void reservedWordsAreRefused(String word) {
    assertThat(Names.problem(word)).contains("is a reserved word");
  }

  @Test
  void theReservedListIsPostgresqlsWhole() {
    // 77 reserved + 23 reserved-for-functions-or-types in PostgreSQL 15, + system_user (16).
    assertThat(Names.RESERVED_WORDS).hasSize(101);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "id",
        "owner",
        "createdat",
        "updatedat",
        "version",
        "created_at",
        "updated_at",
        "plinth_meta",
        "pg_class",
        "pg_"
      })
  void systemNamesAreRefused(String name) {
    assertThat(Names.problem(name)).contains("is reserved for system fields");
  }
}
