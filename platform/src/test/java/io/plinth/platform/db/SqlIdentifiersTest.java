package io.plinth.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlIdentifiersTest {

  @Test
  void quoteAcceptsNamesOnly() {
    assertThat(SqlIdentifiers.quote("t_acme")).isEqualTo("\"t_acme\"");
    assertThat(SqlIdentifiers.quote("a".repeat(63))).isEqualTo("\"" + "a".repeat(63) + "\"");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "Items",
        "a\"b",
        "a\"; DROP TABLE x; --",
        "a b",
        "1a",
        "_a",
        "a.b",
        "a-b",
        "a\u0000"
      })
  void quoteRefusesAnythingElse(String identifier) {
    assertThatThrownBy(() -> SqlIdentifiers.quote(identifier))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quoteRefusesNamesTooLongForPostgresql() {
    assertThatThrownBy(() -> SqlIdentifiers.quote("a".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void qualifiedChecksBothNames() {
    assertThat(SqlIdentifiers.qualified("t_acme", "items")).isEqualTo("\"t_acme\".\"items\"");
    assertThatThrownBy(() -> SqlIdentifiers.qualified("t_acme", "items\"; drop schema x; --"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void literalChecksTheNameLikeQuote() {
    assertThat(SqlIdentifiers.literal("t_acme")).isEqualTo("'t_acme'");
    assertThatThrownBy(() -> SqlIdentifiers.literal("t_acme'; --"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
