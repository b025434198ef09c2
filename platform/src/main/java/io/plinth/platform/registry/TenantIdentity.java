package io.plinth.platform.registry;

import io.vertx.core.json.JsonObject;

/**
 * A tenant's identity as the registry records it: the mode, the Keycloak instance holding its realm
 * or organization, what its tokens must carry ({@code iss}, an {@code aud}, in organization mode
 * the organization), and the details SDKs use (realm, client ids, login and discovery URLs). Never
 * a secret: the server client's secret stays in Keycloak.
 */
public record TenantIdentity(
    IdentityMode mode,
    String keycloak,
    String issuer,
    String audience,
    String organization,
    JsonObject details) {

  public TenantIdentity {
    details = details == null ? new JsonObject() : details.copy();
  }

  /** Just the mode, as a tenant is inserted; the identity step fills in the rest. */
  public static TenantIdentity of(IdentityMode mode, JsonObject details) {
    return new TenantIdentity(mode, null, null, null, null, details);
  }

  public TenantIdentity withDetails(JsonObject more) {
    return new TenantIdentity(
        mode, keycloak, issuer, audience, organization, details.copy().mergeIn(more));
  }

  /** What the admin API shows. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("mode", mode.wire());
    if (keycloak != null) {
      json.put("keycloak", keycloak);
    }
    json.put("issuer", issuer).put("audience", audience);
    if (organization != null) {
      json.put("organization", organization);
    }
    return json.mergeIn(details);
  }
}
