package io.plinth.tenantapi.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.registry.IdentityMode;
import io.plinth.platform.registry.TenantIdentity;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SignInTest {

  private static final String KEYCLOAK = "http://127.0.0.1:8180/realms/plinth_shared";

  @Test
  void anOrganizationSignsInAtItsSharedRealmsEndpointsWithItsAlias() {
    JsonObject answer =
        SignIn.of(
                new TenantIdentity(
                    IdentityMode.ORGANIZATION,
                    "primary",
                    KEYCLOAK,
                    "plinth-acme",
                    "acme",
                    new JsonObject().put("appClientId", "app-acme").put("organizationId", "x")))
            .orElseThrow();

    assertThat(answer)
        .isEqualTo(
            new JsonObject()
                .put("mode", "organization")
                .put("issuer", KEYCLOAK)
                .put("clientId", "app-acme")
                .put("authorizationEndpoint", KEYCLOAK + "/protocol/openid-connect/auth")
                .put("tokenEndpoint", KEYCLOAK + "/protocol/openid-connect/token")
                .put("endSessionEndpoint", KEYCLOAK + "/protocol/openid-connect/logout")
                .put("discoveryUrl", KEYCLOAK + "/.well-known/openid-configuration")
                .put("organization", "acme"));
  }

  @Test
  void anExternalIssuerGivesWhatItsDiscoveryDocumentNamedAndNothingMore() {
    String issuer = "https://login.example.test";
    JsonObject answer =
        SignIn.of(
                new TenantIdentity(
                    IdentityMode.EXTERNAL,
                    null,
                    issuer,
                    "my-api",
                    null,
                    new JsonObject()
                        .put("discoveryUrl", issuer + "/.well-known/openid-configuration")
                        .put("loginUrl", issuer + "/authorize")
                        .put("tokenUrl", issuer + "/oauth/token")))
            .orElseThrow();

    assertThat(answer.fieldNames())
        .containsExactlyInAnyOrder(
            "mode", "issuer", "authorizationEndpoint", "tokenEndpoint", "discoveryUrl");
    assertThat(answer.getString("tokenEndpoint")).isEqualTo(issuer + "/oauth/token");
    assertThat(answer.getString("authorizationEndpoint")).isEqualTo(issuer + "/authorize");
  }

  @Test
  void aTenantWithoutAnIssuerHasNoSignIn() {
    assertThat(SignIn.of(null)).isEmpty();
    assertThat(SignIn.of(TenantIdentity.of(IdentityMode.REALM, new JsonObject()))).isEmpty();
  }
}
