package io.plinth.tenantapi.identity;

import io.plinth.platform.registry.IdentityMode;
import io.plinth.platform.registry.TenantIdentity;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What {@code GET /v1/identity} tells an SDK of where the tenant's end users sign in, from the
 * tenant's registry identity. A Keycloak issuer's endpoints follow from the issuer (OpenID
 * Connect's paths under the realm); an external issuer's are those the control plane read from its
 * discovery document, and only those.
 */
public final class SignIn {

  static final String KEYCLOAK_AUTH = "/protocol/openid-connect/auth";
  static final String KEYCLOAK_TOKEN = "/protocol/openid-connect/token";
  static final String KEYCLOAK_LOGOUT = "/protocol/openid-connect/logout";
  static final String DISCOVERY = "/.well-known/openid-configuration";

  private SignIn() {}

  /** The answer for a tenant with this identity; empty when its end users cannot sign in. */
  public static Optional<JsonObject> of(TenantIdentity identity) {
    if (identity == null || identity.issuer() == null || identity.issuer().isBlank()) {
      return Optional.empty();
    }
    String issuer = identity.issuer();
    JsonObject details = identity.details();
    JsonObject answer =
        new JsonObject()
            .put("mode", identity.mode().wire())
            .put("issuer", issuer)
            .put("clientId", details.getString("appClientId"));
    if (identity.mode() == IdentityMode.EXTERNAL) {
      answer
          .put("authorizationEndpoint", details.getString("loginUrl"))
          .put("tokenEndpoint", details.getString("tokenUrl"))
          .put("endSessionEndpoint", details.getString("endSessionUrl"))
          .put("discoveryUrl", details.getString("discoveryUrl", withoutSlash(issuer) + DISCOVERY));
    } else {
      String base = withoutSlash(issuer);
      answer
          .put("authorizationEndpoint", base + KEYCLOAK_AUTH)
          .put("tokenEndpoint", base + KEYCLOAK_TOKEN)
          .put("endSessionEndpoint", base + KEYCLOAK_LOGOUT)
          .put("discoveryUrl", base + DISCOVERY);
    }
    if (identity.mode() == IdentityMode.ORGANIZATION) {
      answer.put("organization", identity.organization());
    }
    // Members the registry does not know are left out, not sent as null.
    answer.fieldNames().removeIf(name -> answer.getValue(name) == null);
    return Optional.of(answer);
  }

  private static String withoutSlash(String issuer) {
    return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
  }
}
