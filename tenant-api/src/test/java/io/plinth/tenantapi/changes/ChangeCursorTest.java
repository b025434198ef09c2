package io.plinth.tenantapi.changes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangeCursorTest {

  @Test
  void readsBackTheEventIdsItWrites() {
    ChangeCursor cursor = new ChangeCursor(784_512, 93);
    assertThat(cursor.toString()).isEqualTo("784512-93");
    assertThat(ChangeCursor.parse(cursor.toString())).contains(cursor);
    assertThat(ChangeCursor.parse(" 784512-93 ")).contains(cursor);
  }

  @Test
  void refusesAnythingElse() {
    for (String bad :
        new String[] {
          "",
          "-",
          "1",
          "1-",
          "-1",
          "1--2",
          "a-b",
          "1-2-3",
          "1 -2",
          "1;DROP",
          "1-2'",
          "99999999999999999999-1"
        }) {
      assertThat(ChangeCursor.parse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void ordersByTransactionThenSequence() {
    assertThat(new ChangeCursor(5, 100)).isLessThan(new ChangeCursor(6, 1));
    assertThat(new ChangeCursor(6, 1)).isLessThan(new ChangeCursor(6, 2));
    assertThat(new ChangeCursor(6, 2)).isEqualByComparingTo(new ChangeCursor(6, 2));
  }
}
