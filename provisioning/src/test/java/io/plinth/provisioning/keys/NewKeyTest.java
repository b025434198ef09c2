package io.plinth.provisioning.keys;

import static io.plinth.provisioning.admin.Refusals.validationErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import io.plinth.platform.keys.KeyKind;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NewKeyTest {

  private static final OffsetDateTime NOW =
      OffsetDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void aKeyHasAKindANameAndMaybeAnExpiry() {
    NewKey key =
        NewKey.from(
            new JsonObject()
                .put("kind", "secret")
                .put("name", "  backend ")
                .put("expiresAt", "2026-02-01T00:00:00+01:00"),
            NOW);
    assertThat(key.kind()).isEqualTo(KeyKind.SECRET);
    assertThat(key.name()).isEqualTo("backend");
    assertThat(key.expiresAt()).hasValue(OffsetDateTime.parse("2026-02-01T00:00:00+01:00"));
    assertThat(NewKey.from(new JsonObject().put("kind", "publishable").put("name", "app"), NOW))
        .isEqualTo(new NewKey(KeyKind.PUBLISHABLE, "app", java.util.Optional.empty()));
  }

  @Test
  void everyBadFieldIsNamedAtOnce() {
    assertThat(
            validationErrors(
                () ->
                    NewKey.from(
                        new JsonObject()
                            .put("kind", "operator")
                            .put("name", "")
                            .put("expiresAt", "yesterday"),
                        NOW)))
        .containsExactly(
            new Problem.FieldError("kind", "publishable or secret"),
            new Problem.FieldError("name", "1 to 200 characters"),
            new Problem.FieldError("expiresAt", "an RFC 3339 timestamp with offset"));
    assertThat(validationErrors(() -> NewKey.from(new JsonObject().put("name", 5), NOW)))
        .extracting(Problem.FieldError::field)
        .containsExactly("kind", "name");
  }

  @Test
  void aKeyCannotExpireInThePast() {
    assertThat(
            validationErrors(
                () ->
                    NewKey.from(
                        new JsonObject()
                            .put("kind", "secret")
                            .put("name", "old")
                            .put("expiresAt", NOW.toString()),
                        NOW)))
        .containsExactly(new Problem.FieldError("expiresAt", "must be in the future"));
  }
}
