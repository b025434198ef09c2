package io.plinth.provisioning.identity;

import static io.plinth.provisioning.identity.KeycloakAdmin.CREATOR_CLIENT;
import static io.plinth.provisioning.identity.KeycloakAdmin.MASTER_ADMIN;
import static io.plinth.provisioning.identity.KeycloakAdmin.expect;
import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Master's {@value KeycloakAdmin#CREATOR_CLIENT} on every Keycloak instance (ADR 0010): a
 * confidential client whose service account holds the master realm role {@value
 * RealmTemplates#CREATE_REALM_ROLE} and whose scope is that role alone, so its token carries
 * nothing else. Tenant realms and the shared realm are created with it ({@link
 * KeycloakAdmin#REALM_CREATOR}); it can enter no realm, not even those it made.
 *
 * <p>Checked at control-plane start on every instance ({@link #ensureAtStart}) and, if that has not
 * succeeded yet on this node (Keycloak was away), before the instance's first realm ({@link
 * #ensure}): when the creator's own token comes out carrying {@value
 * RealmTemplates#CREATE_REALM_ROLE} alone there is nothing to do, and master {@code admin}, whose
 * every call costs seconds on a full instance after a restart, stays out of it. Otherwise (its
 * token refused: not made yet, or its secret changed with the administrator's password; or it
 * carries more) master's administrator makes or repairs it: the one thing besides the platform
 * realm that master {@code admin} does routinely. Every step is idempotent, so several nodes may do
 * it at once: a 409 means another node made it. Its secret is derived ({@link
 * KeycloakAdmin#creatorSecret()}), never stored or logged, and set again with its scope whenever it
 * is repaired.
 */
public final class RealmCreator {

  private static final Logger LOG = LoggerFactory.getLogger(RealmCreator.class);

  private final Vertx vertx;
  private final Duration retryMaxDelay;

  /** Per instance name: made (or being made) by this node. A failed attempt is not kept. */
  private final Map<String, Future<Void>> made = new ConcurrentHashMap<>();

  public RealmCreator(Vertx vertx, Duration retryMaxDelay) {
    this.vertx = vertx;
    this.retryMaxDelay = retryMaxDelay;
  }

  /**
   * At control-plane start, on every instance: completes when each is made, or at once for those
   * whose Keycloak does not answer (retried in the background); fails when a Keycloak refuses.
   */
  public Future<Void> ensureAtStart(Collection<KeycloakAdmin> admins) {
    List<Future<Void>> all =
        admins.stream()
            .map(
                admin ->
                    AtStart.ensure(
                        vertx,
                        retryMaxDelay,
                        CREATOR_CLIENT + " on Keycloak '" + admin.instance().name() + "'",
                        () -> ensure(admin)))
            .toList();
    return Future.all(all).mapEmpty();
  }

  /** Completes once the creator exists on {@code admin}'s instance; made by this node once. */
  public Future<Void> ensure(KeycloakAdmin admin) {
    String instance = admin.instance().name();
    Future<Void> current =
        made.compute(
            instance, (name, known) -> known == null || known.failed() ? make(admin) : known);
    current.onFailure(ignored -> made.remove(instance, current));
    return current;
  }

  private Future<Void> make(KeycloakAdmin admin) {
    return admin
        .tokenClaims(KeycloakAdmin.REALM_CREATOR)
        .map(RealmCreator::carriesCreateRealmAlone)
        .recover(
            failure ->
                IdentityUnavailable.isCause(failure)
                    ? Future.failedFuture(failure)
                    : Future.succeededFuture(false)) // refused: not made yet, or another secret
        .compose(
            ready -> {
              if (ready) {
                return Future.succeededFuture();
              }
              return makeAsMaster(admin)
                  // A token taken before the repair may carry more than create-realm.
                  .onComplete(ignored -> admin.forgetToken(KeycloakAdmin.REALM_CREATOR))
                  .onSuccess(
                      ignored ->
                          LOG.info(
                              "realm creator made {} {}",
                              kv("client", CREATOR_CLIENT),
                              kv("keycloak", admin.instance().name())));
            });
  }

  /** Whether a token's roles are {@value RealmTemplates#CREATE_REALM_ROLE} and nothing else. */
  static boolean carriesCreateRealmAlone(JsonObject claims) {
    JsonObject realmAccess = claims.getJsonObject("realm_access", new JsonObject());
    JsonObject clientAccess = claims.getJsonObject("resource_access", new JsonObject());
    return clientAccess.isEmpty()
        && List.of(RealmTemplates.CREATE_REALM_ROLE)
            .equals(realmAccess.getJsonArray("roles", new JsonArray()).getList());
  }

  /** Makes or repairs the creator as master's administrator. */
  private static Future<Void> makeAsMaster(KeycloakAdmin admin) {
    JsonObject client = RealmTemplates.realmCreatorClient(admin.creatorSecret());
    return admin
        .call(HttpMethod.POST, "/master/clients", MASTER_ADMIN, client)
        .compose(answer -> expect(answer, "create client " + CREATOR_CLIENT, 201, 409))
        .compose(
            ignored ->
                admin.call(
                    HttpMethod.GET,
                    "/master/clients?clientId=" + CREATOR_CLIENT,
                    MASTER_ADMIN,
                    null))
        .compose(answer -> expect(answer, "find client " + CREATOR_CLIENT, 200))
        .compose(
            answer -> {
              JsonArray found = answer.jsonArray();
              if (found.isEmpty()) {
                return Future.failedFuture(
                    new KeycloakRefused(404, "client " + CREATOR_CLIENT + " vanished once made"));
              }
              String id = found.getJsonObject(0).getString("id");
              // Found made before (by another node, another password, or edited by hand): its
              // secret and scope as this node derives them.
              return admin
                  .call(HttpMethod.PUT, "/master/clients/" + id, MASTER_ADMIN, client)
                  .compose(a -> expect(a, "update client " + CREATOR_CLIENT, 204))
                  .compose(ignored -> grantCreateRealm(admin, id));
            });
  }

  /**
   * Maps {@value RealmTemplates#CREATE_REALM_ROLE} to the client's service account and into its
   * scope (both idempotent: mapping a role twice is no error; a 409 is a concurrent node's).
   */
  private static Future<Void> grantCreateRealm(KeycloakAdmin admin, String clientId) {
    Future<JsonArray> role =
        admin
            .call(
                HttpMethod.GET,
                "/master/roles/" + RealmTemplates.CREATE_REALM_ROLE,
                MASTER_ADMIN,
                null)
            .compose(a -> expect(a, "find role " + RealmTemplates.CREATE_REALM_ROLE, 200))
            .map(a -> new JsonArray().add(a.json()));
    Future<String> user =
        admin
            .call(
                HttpMethod.GET,
                "/master/clients/" + clientId + "/service-account-user",
                MASTER_ADMIN,
                null)
            .compose(a -> expect(a, "find the service account of " + CREATOR_CLIENT, 200))
            .map(a -> a.json().getString("id"));
    return Future.all(role, user)
        .compose(
            both ->
                admin
                    .call(
                        HttpMethod.POST,
                        "/master/users/" + user.result() + "/role-mappings/realm",
                        MASTER_ADMIN,
                        role.result())
                    .compose(a -> expect(a, "grant " + CREATOR_CLIENT + " create-realm", 204, 409))
                    .compose(
                        ignored ->
                            admin.call(
                                HttpMethod.POST,
                                "/master/clients/" + clientId + "/scope-mappings/realm",
                                MASTER_ADMIN,
                                role.result()))
                    .compose(
                        a -> expect(a, "scope " + CREATOR_CLIENT + " to create-realm", 204, 409)))
        .mapEmpty();
  }
}
