package io.plinth.provisioning.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdminParamsTest {

  @Test
  void aSlugInThePathIsTakenAsItIs() {
    assertThat(AdminParams.slug("acme-2")).isEqualTo("acme-2");
  }

  @Test
  void whatCannotBeASlugNamesNoTenant() {
    for (String text : new String[] {"Acme", "ab", "acme:suspend", "a_b_c", "9lives"}) {
      assertThatThrownBy(() -> AdminParams.slug(text))
          .as(text)
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> {
                assertThat(e.problem().status()).isEqualTo(404);
                assertThat(e.problem().code()).isEqualTo("tenant_not_found");
              });
    }
  }

  @Test
  void anIdInThePathIsAUuidElseTheRequestIsNotValid() {
    UUID id = UUID.randomUUID();
    assertThat(AdminParams.id(id.toString())).isEqualTo(id);
    assertThatThrownBy(() -> AdminParams.id("42"))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(400);
              assertThat(e.problem().code()).isEqualTo("validation_failed");
              assertThat(e.problem().errors())
                  .containsExactly(new Problem.FieldError("id", "not a valid id"));
            });
  }
}
