package io.plinth.provisioning.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import io.plinth.platform.registry.IdentityMode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityRequestTest {

  private static List<String> errors(String json) {
    List<Problem.FieldError> errors = new ArrayList<>();
    IdentityRequest.from(new JsonObject(json), errors);
    return errors.stream().map(e -> e.field() + ": " + e.message()).toList();
  }

  @Test
  void absentMeansTheDefaultMode() {
    List<Problem.FieldError> errors = new ArrayList<>();
    assertThat(IdentityRequest.from(null, errors)).isEqualTo(IdentityRequest.DEFAULT);
    assertThat(IdentityRequest.from(new JsonObject(), errors).mode()).isEmpty();
    assertThat(errors).isEmpty();
  }

  @Test
  void readsEachMode() {
    List<Problem.FieldError> errors = new ArrayList<>();
    assertThat(
            IdentityRequest.from(
                new JsonObject(
                    "{\"mode\":\"realm\",\"redirectUris\":[\"https://app.example.com/*\"]}"),
                errors))
        .isEqualTo(
            new IdentityRequest(
                Optional.of(IdentityMode.REALM), null, null, List.of("https://app.example.com/*")));
    IdentityRequest external =
        IdentityRequest.from(
            new JsonObject(
                "{\"mode\":\"external\",\"issuer\":\"https://id.example.com/realms/x\","
                    + "\"audience\":\"api\"}"),
            errors);
    assertThat(external.issuer()).isEqualTo("https://id.example.com/realms/x");
    assertThat(external.audience()).isEqualTo("api");
    assertThat(errors).isEmpty();
  }

  @Test
  void reportsEveryProblem() {
    assertThat(errors("{\"mode\":\"ldap\",\"colour\":1}"))
        .containsExactly(
            "identity.colour: unknown field",
            "identity.mode: one of realm, organization, external");
    assertThat(errors("{\"mode\":\"external\",\"issuer\":\"ftp://x\"}"))
        .extracting(e -> e.substring(0, e.indexOf(':')))
        .containsExactly("identity.issuer", "identity.audience");
    assertThat(errors("{\"mode\":\"realm\",\"issuer\":\"https://x\"}"))
        .containsExactly("identity.issuer: only for external mode");
    // '*' alone would hand any site the users' authorization codes.
    assertThat(errors("{\"redirectUris\":[\"*\"]}")).hasSize(1);
    assertThat(errors("{\"redirectUris\":[\"https://a.example.com/cb?x=1\"]}")).hasSize(1);
  }
}
