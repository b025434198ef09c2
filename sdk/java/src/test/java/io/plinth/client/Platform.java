package io.plinth.client;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.provisioning.ProvisioningService;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.testing.Eventually;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestKeycloak;
import io.plinth.testing.TestNodes;
import io.plinth.testing.TestPostgres;
import io.plinth.testing.TestRealms;
import io.plinth.testing.TestReplication;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real platform for the SDKs' integration tests (the Java SDK's, and the TypeScript SDK's and
 * the example app's, which use this class from this module's test jar): a control plane and a
 * data-plane node on one PostgreSQL database and Hazelcast cluster, and, with {@link
 * #withKeycloak}, a real Keycloak in which the control plane makes each tenant's realm. Tenants are
 * made through the admin API, as an operator would.
 */
public final class Platform implements AutoCloseable {

  /** A tenant's keys, as the admin API returns them once, and its realm (null without Keycloak). */
  public record TenantKeys(String slug, String publishableKey, String secretKey, String realm) {}

  /** An end user of a tenant's realm. */
  public record EndUser(String username, String password) {}

  /**
   * A new PostgreSQL connection may take longer than the test nodes' 1 s on a busy machine (several
   * builds on two cores): the SDK tests are not about that.
   */
  private static final Map<String, String> PATIENT = Map.of("plinth.db.connect-timeout", "10s");

  private final TestNodes nodes = new TestNodes();
  private final io.plinth.testing.PlinthClient admin;
  private final URI adminUrl;
  private final URI dataPlaneUrl;
  private final String operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
  private final TestRealms realms;

  private Platform(TestKeycloak.Server keycloak, Map<String, String> dataPlaneSettings) {
    this(keycloak, TestPostgres.newDatabase(), dataPlaneSettings);
  }

  private Platform(
      TestKeycloak.Server keycloak,
      TestPostgres.Database database,
      Map<String, String> dataPlaneSettings) {
    TestCluster cluster = TestCluster.create();
    Map<String, String> controlPlane = new HashMap<>(PATIENT);
    controlPlane.put("plinth.bootstrap.operator-key", operatorKey);
    if (keycloak != null) {
      controlPlane.put("plinth.identity.keycloak.url", keycloak.url());
      controlPlane.put("plinth.identity.keycloak.admin-user", keycloak.adminUser());
      controlPlane.put("plinth.identity.keycloak.admin-password", keycloak.adminPassword());
    }
    realms = keycloak == null ? null : new TestRealms(keycloak);
    var controlNode =
        nodes.start(
            new ProvisioningService(), database.settings(), cluster.settings(), controlPlane);
    adminUrl = URI.create(controlNode.client().baseUrl());
    admin = controlNode.client().withBearer(operatorKey);
    dataPlaneUrl =
        URI.create(
            nodes
                .start(
                    new TenantApiService(),
                    database.settings(),
                    cluster.settings(),
                    PATIENT,
                    dataPlaneSettings)
                .client()
                .baseUrl());
  }

  /** PostgreSQL and Hazelcast, no Keycloak: tenants have no end-user sign-in. */
  public Platform() {
    this(null, Map.of());
  }

  /** With a real Keycloak (started once per JVM): each tenant gets its own realm. */
  public static Platform withKeycloak() {
    return new Platform(TestKeycloak.server(), Map.of());
  }

  /** With a real Keycloak and these settings on the data-plane node. */
  public static Platform withKeycloak(Map<String, String> dataPlaneSettings) {
    return new Platform(TestKeycloak.server(), dataPlaneSettings);
  }

  /** PostgreSQL and Hazelcast, no Keycloak, and these settings on the data-plane node. */
  public static Platform withDataPlaneSettings(Map<String, String> dataPlaneSettings) {
    return new Platform(null, dataPlaneSettings);
  }

  /**
   * No Keycloak; the nodes write to the replication's primary, and the data plane reads from its
   * standby, which never lags too far to serve (so a test can hold its replay behind).
   */
  public static Platform withReplica(TestReplication replication) {
    return new Platform(
        null,
        replication.database(),
        Map.of(
            "plinth.db.reader-urls",
            replication.standbyUrl(),
            "plinth.db.replica-check-interval",
            "100ms",
            "plinth.db.replica-max-lag",
            "1h"));
  }

  public URI dataPlaneUrl() {
    return dataPlaneUrl;
  }

  public URI adminUrl() {
    return adminUrl;
  }

  /** The bootstrap operator key of the control plane. */
  public String operatorKey() {
    return operatorKey;
  }

  /** A new tenant on the enterprise plan (no request-rate limits to trip over). */
  public TenantKeys newTenant() {
    return newTenant("enterprise");
  }

  /** A new tenant on {@code plan}, once it is active (its realm made, with Keycloak). */
  public TenantKeys newTenant(String plan) {
    return newTenant(plan, null);
  }

  /**
   * A new tenant on {@code plan} with this {@code identity} member of the create request (null: the
   * default), e.g. {@code {"mode":"realm","redirectUris":["http://127.0.0.1:8000/*"]}} for a
   * browser app on that origin (Keycloak then also answers its CORS requests), once it is active.
   */
  public TenantKeys newTenant(String plan, JsonObject identity) {
    String slug = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject request = new JsonObject().put("slug", slug).put("name", slug).put("plan", plan);
    if (identity != null) {
      request.put("identity", identity);
    }
    var created = admin.postJson("/admin/v1/tenants", request);
    if (created.status() != 201 && created.status() != 202) {
      throw new IllegalStateException("tenant not created: " + created.status() + created.body());
    }
    String publishable = null;
    String secret = null;
    for (Object entry : created.json().getJsonArray("keys")) {
      JsonObject key = (JsonObject) entry;
      if ("publishable".equals(key.getString("kind"))) {
        publishable = key.getString("key");
      } else {
        secret = key.getString("key");
      }
    }
    Eventually.poll(
        Duration.ofSeconds(60),
        () -> admin.get("/admin/v1/tenants/" + slug).json().getString("status"),
        "active"::equals);
    // Without Keycloak a tenant has no identity: the field is absent or null.
    JsonObject made = admin.get("/admin/v1/tenants/" + slug).json().getJsonObject("identity");
    return new TenantKeys(slug, publishable, secret, made == null ? null : made.getString("realm"));
  }

  /** A user of the tenant's realm who can sign in with a password at once. */
  public EndUser newUser(TenantKeys tenant, String username) {
    if (realms == null || tenant.realm() == null) {
      throw new IllegalStateException("this platform has no Keycloak: use Platform.withKeycloak()");
    }
    realms.createUser(tenant.realm(), username);
    return new EndUser(username, TestRealms.passwordOf(username));
  }

  @Override
  public void close() {
    nodes.close();
  }
}
