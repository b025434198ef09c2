package io.plinth.provisioning.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.config.Secret;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RealmCreatorTest {

  private static JsonObject claims(JsonArray realmRoles, JsonObject clientRoles) {
    JsonObject claims = new JsonObject().put("sub", "x");
    if (realmRoles != null) {
      claims.put("realm_access", new JsonObject().put("roles", realmRoles));
    }
    if (clientRoles != null) {
      claims.put("resource_access", clientRoles);
    }
    return claims;
  }

  @Test
  void aCreatorTokenIsReadyOnlyWithCreateRealmAlone() {
    assertThat(
            RealmCreator.carriesCreateRealmAlone(claims(new JsonArray().add("create-realm"), null)))
        .isTrue();
    assertThat(RealmCreator.carriesCreateRealmAlone(claims(null, null))).isFalse();
    assertThat(
            RealmCreator.carriesCreateRealmAlone(
                claims(new JsonArray().add("create-realm").add("default-roles-master"), null)))
        .as("full scope")
        .isFalse();
    assertThat(
            RealmCreator.carriesCreateRealmAlone(
                claims(
                    new JsonArray().add("create-realm"),
                    new JsonObject()
                        .put(
                            "plinth-a-realm",
                            new JsonObject().put("roles", new JsonArray().add("manage-realm"))))))
        .as("the admin roles of realms it made")
        .isFalse();
  }

  @Test
  void derivedSecretsStayAsTheyWere() {
    Secret password = new Secret("pw");
    // Realms made before keep working: the provisioner's derivation must not change.
    assertThat(KeycloakAdmin.provisionerSecret(password, "default", "plinth-shop"))
        .isEqualTo("k7SSnpsQ_UiQDJPNcqp1g64C2YL91tHCAPfSPiqx5vg");
    assertThat(KeycloakAdmin.creatorSecret(password, "http://127.0.0.1:8180"))
        .isEqualTo("x8GYMfabsuejrR2eFA6wUH9zYvXMS8Yfe-sdDp9ieBs")
        .isNotEqualTo(KeycloakAdmin.creatorSecret(new Secret("other"), "http://127.0.0.1:8180"))
        .isNotEqualTo(KeycloakAdmin.creatorSecret(password, "http://127.0.0.1:8181"));
  }
}
