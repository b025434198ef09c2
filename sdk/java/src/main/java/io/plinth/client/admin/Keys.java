package io.plinth.client.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** {@code /admin/v1/tenants/{slug}/keys}: a tenant's API keys. */
public final class Keys {

  private final PlinthAdmin admin;

  Keys(PlinthAdmin admin) {
    this.admin = admin;
  }

  /** Issues a key that does not expire. */
  public CreatedKey issue(String slug, KeyKind kind, String name) {
    return issue(slug, kind, name, null);
  }

  /**
   * Issues a key, valid until {@code expiresAt} (in the future; null: never expires); its plaintext
   * is in the answer only.
   */
  public CreatedKey issue(String slug, KeyKind kind, String name, OffsetDateTime expiresAt) {
    ObjectNode body = admin.json().createObjectNode().put("kind", kind.wire()).put("name", name);
    if (expiresAt != null) {
      body.put("expiresAt", expiresAt.toString());
    }
    return CreatedKey.from(admin.send("POST", path(slug), body).body());
  }

  /** Every key of the tenant, oldest first, revoked ones included. */
  public List<ApiKey> list(String slug) {
    return Json.list(admin.send("GET", path(slug), null).body().path("items"), ApiKey::from);
  }

  /** Revokes a key: the data plane refuses it from then on. */
  public void revoke(String slug, UUID keyId) {
    admin.send("DELETE", path(slug) + "/" + keyId, null);
  }

  private static String path(String slug) {
    return Tenants.path(slug) + "/keys";
  }
}
