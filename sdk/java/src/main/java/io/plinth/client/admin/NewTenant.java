package io.plinth.client.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A tenant to create: its slug ({@code ^[a-z][a-z0-9-]{2,39}$}), name, plan ({@code free}, {@code
 * pro}, {@code enterprise}) and, optionally, where its end users sign in.
 */
public record NewTenant(String slug, String name, String plan, Identity identity) {

  /**
   * End-user sign-in: a realm of the tenant's own, an organization in a shared realm, or an
   * external issuer (with its audience); {@code redirectUris} of the tenant's app, if any.
   */
  public record Identity(String mode, String issuer, String audience, List<String> redirectUris) {
    public static Identity realm(String... redirectUris) {
      return new Identity("realm", null, null, List.of(redirectUris));
    }

    public static Identity organization(String... redirectUris) {
      return new Identity("organization", null, null, List.of(redirectUris));
    }

    public static Identity external(String issuer, String audience) {
      return new Identity("external", issuer, audience, List.of());
    }
  }

  public NewTenant {
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(plan, "plan");
  }

  /** With the platform's default sign-in. */
  public static NewTenant of(String slug, String name, String plan) {
    return new NewTenant(slug, name, plan, null);
  }

  public NewTenant withIdentity(Identity newIdentity) {
    return new NewTenant(slug, name, plan, newIdentity);
  }

  ObjectNode toJson(ObjectMapper json) {
    ObjectNode body = json.createObjectNode().put("slug", slug).put("name", name).put("plan", plan);
    if (identity != null) {
      ObjectNode id = body.putObject("identity").put("mode", identity.mode());
      if (identity.issuer() != null) {
        id.put("issuer", identity.issuer());
      }
      if (identity.audience() != null) {
        id.put("audience", identity.audience());
      }
      if (identity.redirectUris() != null && !identity.redirectUris().isEmpty()) {
        identity.redirectUris().forEach(id.putArray("redirectUris")::add);
      }
    }
    return body;
  }
}
