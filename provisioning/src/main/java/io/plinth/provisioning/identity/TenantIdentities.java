package io.plinth.provisioning.identity;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.IdentityMode;
import io.plinth.platform.registry.Tenant;
import io.plinth.platform.registry.TenantIdentity;
import io.plinth.platform.registry.TenantRepository;
import io.plinth.provisioning.identity.KeycloakAdmin.RealmAccount;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's identity: chosen when it is created, made by the workflow's identity step, removed on
 * rollback and deletion. Every operation is idempotent (a realm or organization that exists is
 * taken as made, one that is gone as removed), so a crash or a Keycloak outage at any point resumes
 * cleanly. Keycloak being unreachable fails with {@link IdentityUnavailable}, which the workflow
 * retries; a refusal fails with {@link KeycloakRefused}, which rolls back.
 *
 * <ul>
 *   <li>realm: one POST of the whole realm ({@link RealmTemplates#tenantRealm}) by master's {@value
 *       KeycloakAdmin#CREATOR_CLIENT} ({@link RealmCreator}) on the placed instance; later calls
 *       into the realm, deleting it included, use its own {@value KeycloakAdmin#PROVISIONER_CLIENT}
 *       account. Master's administrator only deletes a realm whose own account is refused
 *       (break-glass).
 *   <li>organization: the shared realm (made once, by the creator), then an Organization with alias
 *       = slug and the tenant's app client, by the shared realm's own account.
 *   <li>external: nothing to make; the issuer was checked when the tenant was created.
 * </ul>
 */
public final class TenantIdentities {

  private static final Logger LOG = LoggerFactory.getLogger(TenantIdentities.class);

  private final IdentitySettings settings;
  private final Map<String, KeycloakAdmin> admins;
  private final ExternalIssuers external;
  private final RealmPlacement placement;
  private final RealmCreator creator;
  private final TenantRepository tenants;
  private final AtomicBoolean sharedRealmMade = new AtomicBoolean();

  public TenantIdentities(
      IdentitySettings settings,
      Map<String, KeycloakAdmin> admins,
      ExternalIssuers external,
      RealmPlacement placement,
      RealmCreator creator,
      TenantRepository tenants) {
    this.settings = settings;
    this.admins = Map.copyOf(admins);
    this.external = external;
    this.placement = placement;
    this.creator = creator;
    this.tenants = tenants;
  }

  /**
   * What a new tenant's row records before any step runs: the mode (and, for external, the checked
   * issuer and audience). Null without a mode: no Keycloak is configured and none was asked for.
   *
   * @throws ProblemException (as a failed future) 400 when the request cannot be served
   */
  public Future<TenantIdentity> choose(IdentityRequest request) {
    Optional<IdentityMode> asked = request.mode();
    if (asked.isEmpty() && !settings.enabled()) {
      return Future.succeededFuture(null);
    }
    IdentityMode mode = asked.orElse(settings.defaultMode());
    if (mode == IdentityMode.EXTERNAL) {
      return external
          .validate(request.issuer())
          .map(
              discovery ->
                  new TenantIdentity(
                      IdentityMode.EXTERNAL,
                      null,
                      request.issuer(),
                      request.audience(),
                      null,
                      new JsonObject()
                          .put("discoveryUrl", ExternalIssuers.discoveryUrl(request.issuer()))
                          .put("loginUrl", discovery.getString("authorization_endpoint"))
                          .put("tokenUrl", discovery.getString("token_endpoint"))
                          .put("endSessionUrl", discovery.getString("end_session_endpoint"))));
    }
    if (!settings.enabled()) {
      return Future.failedFuture(
          new ProblemException(
              Problem.validationFailed(
                  "the identity is not valid",
                  "identity.mode",
                  "this installation has no Keycloak: only external is possible")));
    }
    return Future.succeededFuture(
        TenantIdentity.of(
            mode,
            new JsonObject()
                .put("redirectUris", new JsonArray(List.copyOf(request.redirectUris())))));
  }

  /** The identity step: makes what the tenant's mode needs and records it. */
  public Future<Void> provision(Tenant tenant) {
    TenantIdentity identity = tenant.identity();
    if (identity == null || identity.mode() == IdentityMode.EXTERNAL) {
      return Future.succeededFuture();
    }
    return switch (identity.mode()) {
      case REALM -> provisionRealm(tenant, identity);
      case ORGANIZATION -> provisionOrganization(tenant, identity);
      case EXTERNAL -> Future.succeededFuture();
    };
  }

  /** Removes what {@link #provision} made; done when there is nothing (left) to remove. */
  public Future<Void> remove(Tenant tenant) {
    TenantIdentity identity = tenant.identity();
    if (identity == null || identity.mode() == IdentityMode.EXTERNAL) {
      return Future.succeededFuture();
    }
    return switch (identity.mode()) {
      case REALM -> removeRealm(tenant, identity);
      case ORGANIZATION -> removeOrganization(tenant);
      case EXTERNAL -> Future.succeededFuture();
    };
  }

  private Future<Void> provisionRealm(Tenant tenant, TenantIdentity identity) {
    String realm = RealmTemplates.tenantRealm(tenant.slug());
    List<String> names = settings.instances().stream().map(KeycloakInstance::name).toList();
    return placement
        .place(tenant.id(), names, settings.realmsPerInstance())
        .compose(
            placed -> {
              KeycloakAdmin admin = admin(placed);
              JsonObject representation =
                  RealmTemplates.tenantRealm(
                      tenant.slug(), tenant.name(), admin.provisionerSecret(realm));
              representation
                  .getJsonArray("clients")
                  .getJsonObject(0)
                  .put("redirectUris", redirectUris(identity));
              return createRealm(admin, representation)
                  .compose(
                      answer -> {
                        KeycloakInstance instance = admin.instance();
                        String issuer = instance.issuer(realm);
                        TenantIdentity made =
                            new TenantIdentity(
                                    IdentityMode.REALM,
                                    placed,
                                    issuer,
                                    RealmTemplates.tenantAudience(tenant.slug()),
                                    null,
                                    identity.details())
                                .withDetails(
                                    endpoints(issuer)
                                        .put("realm", realm)
                                        .put("appClientId", RealmTemplates.APP_CLIENT)
                                        .put("serverClientId", RealmTemplates.SERVER_CLIENT));
                        LOG.info(
                            "realm ready {} {} {}",
                            kv("tenant", tenant.slug()),
                            kv("realm", realm),
                            kv("keycloak", placed));
                        return tenants.setIdentity(tenant.id(), made);
                      });
            });
  }

  private Future<Void> removeRealm(Tenant tenant, TenantIdentity identity) {
    if (identity.keycloak() == null) {
      return Future.succeededFuture(); // never placed, so never made
    }
    String realm = RealmTemplates.tenantRealm(tenant.slug());
    KeycloakAdmin admin = admin(identity.keycloak());
    return admin
        .call(HttpMethod.DELETE, "/" + realm, new RealmAccount(realm), null)
        .compose(answer -> KeycloakAdmin.expect(answer, "delete realm " + realm, 204, 404))
        .<Void>mapEmpty()
        .recover(
            failure -> {
              if (failure instanceof KeycloakAdmin.RealmMissing) {
                return Future.succeededFuture(); // gone already
              }
              if (failure instanceof KeycloakRefused) {
                // Break-glass: the realm's own account is refused (made by hand, or its secret
                // changed with the administrator's password): master's administrator removes it.
                // The creator cannot: its token carries create-realm alone (ADR 0010).
                return admin
                    .call(HttpMethod.DELETE, "/" + realm, KeycloakAdmin.MASTER_ADMIN, null)
                    .compose(a -> KeycloakAdmin.expect(a, "delete realm " + realm, 204, 404))
                    .mapEmpty();
              }
              return Future.failedFuture(failure);
            });
  }

  private Future<Void> provisionOrganization(Tenant tenant, TenantIdentity identity) {
    KeycloakAdmin admin = admin(settings.primary().name());
    String slug = tenant.slug();
    RealmAccount shared = new RealmAccount(RealmTemplates.SHARED_REALM);
    JsonObject client =
        RealmTemplates.organizationClient(slug).put("redirectUris", redirectUris(identity));
    return ensureSharedRealm(admin)
        .compose(
            ignored ->
                admin.call(
                    HttpMethod.POST,
                    "/" + RealmTemplates.SHARED_REALM + "/organizations",
                    shared,
                    RealmTemplates.organization(slug, tenant.name())))
        .compose(answer -> KeycloakAdmin.expect(answer, "create organization " + slug, 201, 409))
        .compose(ignored -> organizationId(admin, slug))
        .compose(
            organizationId ->
                admin
                    .call(
                        HttpMethod.POST,
                        "/" + RealmTemplates.SHARED_REALM + "/clients",
                        shared,
                        client)
                    .compose(
                        answer ->
                            KeycloakAdmin.expect(
                                answer,
                                "create client " + RealmTemplates.organizationAppClient(slug),
                                201,
                                409))
                    .map(organizationId))
        .compose(
            organizationId -> {
              String issuer = admin.instance().issuer(RealmTemplates.SHARED_REALM);
              TenantIdentity made =
                  new TenantIdentity(
                          IdentityMode.ORGANIZATION,
                          admin.instance().name(),
                          issuer,
                          RealmTemplates.tenantAudience(slug),
                          slug,
                          identity.details())
                      .withDetails(
                          endpoints(issuer)
                              .put("realm", RealmTemplates.SHARED_REALM)
                              .put("appClientId", RealmTemplates.organizationAppClient(slug))
                              .put("organizationId", organizationId.orElseThrow()));
              LOG.info("organization ready {}", kv("tenant", slug));
              return tenants.setIdentity(tenant.id(), made);
            });
  }

  private Future<Void> removeOrganization(Tenant tenant) {
    KeycloakAdmin admin = admin(settings.primary().name());
    String slug = tenant.slug();
    RealmAccount shared = new RealmAccount(RealmTemplates.SHARED_REALM);
    String base = "/" + RealmTemplates.SHARED_REALM;
    return organizationId(admin, slug)
        .compose(
            id ->
                id.isEmpty()
                    ? Future.succeededFuture()
                    : admin
                        .call(HttpMethod.DELETE, base + "/organizations/" + id.get(), shared, null)
                        .compose(
                            a -> KeycloakAdmin.expect(a, "delete organization " + slug, 204, 404)))
        .compose(
            ignored ->
                admin.call(
                    HttpMethod.GET,
                    base + "/clients?clientId=" + RealmTemplates.organizationAppClient(slug),
                    shared,
                    null))
        .compose(answer -> KeycloakAdmin.expect(answer, "find the tenant's client", 200))
        .compose(
            answer -> {
              JsonArray found = answer.jsonArray();
              if (found.isEmpty()) {
                return Future.succeededFuture();
              }
              String id = found.getJsonObject(0).getString("id");
              return admin
                  .call(HttpMethod.DELETE, base + "/clients/" + id, shared, null)
                  .compose(a -> KeycloakAdmin.expect(a, "delete the tenant's client", 204, 404))
                  .mapEmpty();
            })
        .<Void>mapEmpty()
        .recover(
            failure ->
                failure instanceof KeycloakAdmin.RealmMissing
                    ? Future.succeededFuture()
                    : Future.failedFuture(failure));
  }

  /** The organization whose alias is the slug, if there is one. */
  private Future<Optional<String>> organizationId(KeycloakAdmin admin, String slug) {
    return admin
        .call(
            HttpMethod.GET,
            "/" + RealmTemplates.SHARED_REALM + "/organizations?exact=true&search=" + slug,
            new RealmAccount(RealmTemplates.SHARED_REALM),
            null)
        .compose(answer -> KeycloakAdmin.expect(answer, "find organization " + slug, 200))
        .map(
            answer -> {
              for (Object o : answer.jsonArray()) {
                if (o instanceof JsonObject org && slug.equals(org.getString("alias"))) {
                  return Optional.of(org.getString("id"));
                }
              }
              return Optional.empty();
            });
  }

  /** Makes the shared realm unless it exists (any node, any number of times). */
  private Future<Void> ensureSharedRealm(KeycloakAdmin admin) {
    if (sharedRealmMade.get()) {
      return Future.succeededFuture();
    }
    return createRealm(
            admin, RealmTemplates.sharedRealm(admin.provisionerSecret(RealmTemplates.SHARED_REALM)))
        .onSuccess(ignored -> sharedRealmMade.set(true))
        .mapEmpty();
  }

  /**
   * One POST of a whole realm by master's {@value KeycloakAdmin#CREATOR_CLIENT} (made first if this
   * node has not yet). 409: a run before this one made it (a realm is made whole or not at all).
   */
  private Future<KeycloakAdmin.Answer> createRealm(KeycloakAdmin admin, JsonObject representation) {
    String realm = representation.getString("realm");
    return creator
        .ensure(admin)
        .compose(
            ignored -> admin.call(HttpMethod.POST, "", KeycloakAdmin.REALM_CREATOR, representation))
        .compose(answer -> KeycloakAdmin.expect(answer, "create realm " + realm, 201, 409));
  }

  private static JsonArray redirectUris(TenantIdentity identity) {
    JsonArray uris = identity.details().getJsonArray("redirectUris");
    return uris == null ? new JsonArray() : uris.copy();
  }

  /** Where SDKs send users to sign in, and the discovery document. */
  private static JsonObject endpoints(String issuer) {
    return new JsonObject()
        .put("loginUrl", issuer + "/protocol/openid-connect/auth")
        .put("tokenUrl", issuer + "/protocol/openid-connect/token")
        .put("discoveryUrl", ExternalIssuers.discoveryUrl(issuer));
  }

  private KeycloakAdmin admin(String instance) {
    KeycloakAdmin admin = admins.get(instance);
    if (admin == null) {
      throw new KeycloakRefused(
          400, "Keycloak instance '" + instance + "' is no longer configured on this node");
    }
    return admin;
  }
}
