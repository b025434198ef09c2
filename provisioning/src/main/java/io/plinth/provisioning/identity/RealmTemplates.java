package io.plinth.provisioning.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The realms Plinth makes, each as one representation Keycloak imports in one call (realm, clients,
 * roles, mappers, service accounts): a realm is then either there complete or not at all; and
 * master's realm-creating client. Pure functions of their inputs.
 */
public final class RealmTemplates {

  /** The operators' realm. */
  public static final String PLATFORM_REALM = "plinth";

  /** The realm holding every organization-mode tenant; '_' cannot occur in a tenant's slug. */
  public static final String SHARED_REALM = "plinth_shared";

  public static final String PLATFORM_ADMIN_ROLE = "platform-admin";

  /** Master's realm role that allows creating realms, and nothing else. */
  public static final String CREATE_REALM_ROLE = "create-realm";

  public static final String CONSOLE_CLIENT = "plinth-console";
  public static final String AUTOMATION_CLIENT = "plinth-automation";

  /** What the platform realm's tokens carry in {@code aud}; {@code /admin/v1} requires it. */
  public static final String ADMIN_AUDIENCE = "plinth-admin";

  /** A tenant's public client, for its apps (authorization code + PKCE; password in tests). */
  public static final String APP_CLIENT = "app";

  /** A tenant's confidential client, for its servers (client credentials). */
  public static final String SERVER_CLIENT = "server";

  static final int ACCESS_TOKEN_SECONDS = 300;
  static final int SSO_IDLE_SECONDS = 1800;
  static final int SSO_MAX_SECONDS = 36_000;
  static final String PASSWORD_POLICY = "length(10) and notUsername and notEmail";

  private RealmTemplates() {}

  /** {@code plinth-<slug>}: a tenant's realm. */
  public static String tenantRealm(String slug) {
    return "plinth-" + slug;
  }

  /** {@code plinth-<slug>}: what a tenant's tokens carry in {@code aud}, whatever the mode. */
  public static String tenantAudience(String slug) {
    return "plinth-" + slug;
  }

  /** An organization-mode tenant's public client in the shared realm. */
  public static String organizationAppClient(String slug) {
    return "app-" + slug;
  }

  /** The platform realm: role platform-admin, the console's and automation's clients. */
  public static JsonObject platformRealm(
      List<String> consoleRedirectUris, Optional<String> automationSecret, String provisioner) {
    JsonObject automation =
        confidential(AUTOMATION_CLIENT)
            .put("description", "Automation against /admin/v1 (client credentials)")
            .put("protocolMappers", new JsonArray().add(audienceMapper(ADMIN_AUDIENCE)));
    automationSecret.ifPresent(secret -> automation.put("secret", secret));
    JsonObject console =
        publicClient(CONSOLE_CLIENT, consoleRedirectUris, false)
            .put("description", "The operators' web console")
            .put("protocolMappers", new JsonArray().add(audienceMapper(ADMIN_AUDIENCE)));
    // Signing out of the console ends the Keycloak session and comes back to the console.
    console.getJsonObject("attributes").put("post.logout.redirect.uris", "+");
    return realm(PLATFORM_REALM, provisioner)
        .put("displayName", "Plinth operators")
        .put(
            "roles",
            new JsonObject()
                .put(
                    "realm",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("name", PLATFORM_ADMIN_ROLE)
                                .put(
                                    "description",
                                    "May use the admin API /admin/v1 and the console"))))
        .put(
            "clients",
            new JsonArray().add(console).add(automation).add(provisionerClient(provisioner)))
        .put(
            "users",
            new JsonArray()
                .add(
                    serviceAccount(AUTOMATION_CLIENT)
                        .put("realmRoles", new JsonArray().add(PLATFORM_ADMIN_ROLE)))
                .add(provisionerAccount()));
  }

  /**
   * A tenant's realm {@code plinth-<slug>}: {@value #APP_CLIENT} (public, PKCE, password grant on),
   * {@value #SERVER_CLIENT} (confidential, service account), both putting the tenant's audience in
   * {@code aud}; brute-force protection, a password policy, short access tokens.
   */
  public static JsonObject tenantRealm(String slug, String name, String provisioner) {
    String audience = tenantAudience(slug);
    return realm(tenantRealm(slug), provisioner)
        .put("displayName", name)
        .put(
            "clients",
            new JsonArray()
                .add(
                    publicClient(APP_CLIENT, List.of("*"), true)
                        .put("description", "The tenant's apps (browser, mobile)")
                        .put("protocolMappers", new JsonArray().add(audienceMapper(audience))))
                .add(
                    confidential(SERVER_CLIENT)
                        .put("description", "The tenant's servers (client credentials)")
                        .put("protocolMappers", new JsonArray().add(audienceMapper(audience))))
                .add(provisionerClient(provisioner)))
        .put("users", new JsonArray().add(provisionerAccount()));
  }

  /** The shared realm of organization-mode tenants, with Organizations on. */
  public static JsonObject sharedRealm(String provisioner) {
    return realm(SHARED_REALM, provisioner)
        .put("displayName", "Plinth shared identities")
        .put("organizationsEnabled", true)
        .put("clients", new JsonArray().add(provisionerClient(provisioner)))
        .put("users", new JsonArray().add(provisionerAccount()));
  }

  /**
   * Master's {@value KeycloakAdmin#CREATOR_CLIENT}: confidential, a service account, and its scope
   * limited to what its scope mappings name ({@code fullScopeAllowed: false}), so that its token
   * carries {@value #CREATE_REALM_ROLE} alone rather than the admin roles Keycloak grants the
   * creator of each realm (about 460 characters per realm, ADR 0010).
   */
  public static JsonObject realmCreatorClient(String secret) {
    return confidential(KeycloakAdmin.CREATOR_CLIENT)
        .put("description", "Plinth's control plane creates tenant realms with it (create-realm)")
        .put("fullScopeAllowed", false)
        .put("secret", secret);
  }

  /** An organization-mode tenant's Organization: alias = slug (tokens carry it). */
  public static JsonObject organization(String slug, String name) {
    return new JsonObject()
        .put("name", slug)
        .put("alias", slug)
        .put("description", name)
        .put("enabled", true);
  }

  /**
   * An organization-mode tenant's public client in the shared realm: its tokens carry the tenant's
   * audience and, through the {@code organization} scope, the user's organizations.
   */
  public static JsonObject organizationClient(String slug) {
    return publicClient(organizationAppClient(slug), List.of("*"), true)
        .put("description", "Apps of tenant " + slug)
        .put(
            "defaultClientScopes",
            new JsonArray()
                .add("web-origins")
                .add("acr")
                .add("profile")
                .add("roles")
                .add("basic")
                .add("email")
                .add("organization"))
        .put("protocolMappers", new JsonArray().add(audienceMapper(tenantAudience(slug))));
  }

  private static JsonObject realm(String name, String provisioner) {
    return new JsonObject()
        .put("realm", name)
        .put("enabled", true)
        .put("bruteForceProtected", true)
        .put("failureFactor", 10)
        .put("permanentLockout", false)
        .put("passwordPolicy", PASSWORD_POLICY)
        .put("accessTokenLifespan", ACCESS_TOKEN_SECONDS)
        .put("ssoSessionIdleTimeout", SSO_IDLE_SECONDS)
        .put("ssoSessionMaxLifespan", SSO_MAX_SECONDS)
        .put("registrationAllowed", false)
        .put("sslRequired", "external");
  }

  private static JsonObject publicClient(
      String clientId, List<String> redirectUris, boolean passwordGrant) {
    return new JsonObject()
        .put("clientId", clientId)
        .put("enabled", true)
        .put("publicClient", true)
        .put("standardFlowEnabled", true)
        .put("implicitFlowEnabled", false)
        .put("directAccessGrantsEnabled", passwordGrant)
        .put("serviceAccountsEnabled", false)
        .put("redirectUris", new JsonArray(List.copyOf(redirectUris)))
        .put("webOrigins", new JsonArray().add("+"))
        .put("attributes", new JsonObject().put("pkce.code.challenge.method", "S256"));
  }

  private static JsonObject confidential(String clientId) {
    return new JsonObject()
        .put("clientId", clientId)
        .put("enabled", true)
        .put("publicClient", false)
        .put("clientAuthenticatorType", "client-secret")
        .put("standardFlowEnabled", false)
        .put("implicitFlowEnabled", false)
        .put("directAccessGrantsEnabled", false)
        .put("serviceAccountsEnabled", true);
  }

  private static JsonObject provisionerClient(String secret) {
    return confidential(KeycloakAdmin.PROVISIONER_CLIENT)
        .put("description", "Plinth's control plane administers this realm with it")
        .put("secret", secret);
  }

  private static JsonObject provisionerAccount() {
    return serviceAccount(KeycloakAdmin.PROVISIONER_CLIENT)
        .put(
            "clientRoles",
            new JsonObject().put("realm-management", new JsonArray().add("realm-admin")));
  }

  private static JsonObject serviceAccount(String clientId) {
    return new JsonObject()
        .put("username", "service-account-" + clientId)
        .put("enabled", true)
        .put("serviceAccountClientId", clientId);
  }

  private static JsonObject audienceMapper(String audience) {
    return new JsonObject()
        .put("name", "audience " + audience)
        .put("protocol", "openid-connect")
        .put("protocolMapper", "oidc-audience-mapper")
        .put(
            "config",
            new JsonObject()
                .put("included.custom.audience", audience)
                .put("access.token.claim", "true")
                .put("id.token.claim", "false")
                .put("introspection.token.claim", "true"));
  }
}
