package io.plinth.tenantapi.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.http.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreconditionsTest {

  @Test
  void ifNoneMatchComparesWeaklyAndTakesListsAndAStar() {
    assertThat(Preconditions.noneMatchHits(null, 3)).isFalse();
    assertThat(Preconditions.noneMatchHits("\"3\"", 3)).isTrue();
    assertThat(Preconditions.noneMatchHits("W/\"3\"", 3)).isTrue();
    assertThat(Preconditions.noneMatchHits("\"1\", \"3\"", 3)).isTrue();
    assertThat(Preconditions.noneMatchHits("*", 3)).isTrue();
    assertThat(Preconditions.noneMatchHits("\"2\"", 3)).isFalse();
    assertThat(Preconditions.noneMatchHits("3", 3)).isFalse();
  }

  @Test
  void ifMatchComparesStronglyAndTakesListsAndAStar() {
    assertThat(Preconditions.ifMatchVersions(null)).isEmpty();
    assertThat(Preconditions.ifMatchVersions("*")).isEmpty();
    assertThat(Preconditions.ifMatchVersions("\"3\"")).contains(List.of(3L));
    assertThat(Preconditions.ifMatchVersions("\"3\", \"5\"")).contains(List.of(3L, 5L));
    assertThat(Preconditions.ifMatchVersions("W/\"3\"")).contains(List.of());
    assertThat(Preconditions.ifMatchVersions("\"someone-else's\"")).contains(List.of());
    for (String bad :
        new String[] {"3", "\"", "\"3", "abc", "\"3\" x", ",", "\"3\",", "\"a\".\"b\""}) {
      assertThatThrownBy(() -> Preconditions.ifMatchVersions(bad))
          .as(bad)
          .isInstanceOf(ProblemException.class)
          .hasMessageContaining("invalid_if_match");
    }
  }
}
