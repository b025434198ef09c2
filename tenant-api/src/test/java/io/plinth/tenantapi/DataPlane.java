package io.plinth.tenantapi;

import io.plinth.platform.identity.TokenExpectation;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.RegistryInvalidations;
import io.plinth.platform.server.Infrastructure;
import io.plinth.provisioning.ProvisioningService;
import io.plinth.tenantapi.changes.ChangeLog;
import io.plinth.tenantapi.records.IdempotencyKeys;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestNodes;
import io.plinth.testing.TestPostgres;
import io.plinth.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A control plane and a data plane on one database and cluster, as in production: tenants are made
 * through the admin API and used through {@code /v1}.
 */
final class DataPlane implements AutoCloseable {

  /** A tenant made for a test, with its two keys. */
  record Tenant(UUID id, String slug, String schema, String publishableKey, String secretKey) {}

  final TestPostgres.Database database;
  private final TestNodes nodes = new TestNodes();

  /** The data-plane nodes started after the first, which {@link #stopAddedNodes()} stops. */
  private final TestNodes addedNodes = new TestNodes();

  final PlinthClient admin;
  final PlinthClient api;
  private final String operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();

  /**
   * Signs end users' tokens and publishes the keys, as a Keycloak realm per tenant would: every
   * tenant made here signs its users in with it, so the data plane fetches its keys like any
   * issuer's.
   */
  final TestTokens tokens = TestTokens.served();

  private final TestNodes.Node dataPlaneNode;
  private final TestCluster cluster = TestCluster.create();

  DataPlane() {
    this(Map.of());
  }

  private final Map<String, String> dataPlaneSettings;
  private final Map<String, String> clusterSettings;

  /** With settings of the data-plane nodes' own (e.g. a short statement timeout). */
  DataPlane(Map<String, String> dataPlaneSettings) {
    this(dataPlaneSettings, Map.of());
  }

  /**
   * With settings of the data-plane nodes' own, and cluster settings every node shares, the control
   * plane's too (e.g. split-brain protection, which members must agree on).
   */
  DataPlane(Map<String, String> dataPlaneSettings, Map<String, String> clusterSettings) {
    this(dataPlaneSettings, clusterSettings, Map.of());
  }

  /** Also with settings of the control plane's own (e.g. the Keycloak it provisions realms in). */
  DataPlane(
      Map<String, String> dataPlaneSettings,
      Map<String, String> clusterSettings,
      Map<String, String> controlPlaneSettings) {
    this(TestPostgres.newDatabase(), dataPlaneSettings, clusterSettings, controlPlaneSettings);
  }

  /**
   * On a database of the test's own (e.g. on a server it crashes, {@link
   * io.plinth.testing.OwnPostgres}) instead of a new one on the JVM's shared server.
   */
  DataPlane(
      TestPostgres.Database database,
      Map<String, String> dataPlaneSettings,
      Map<String, String> clusterSettings,
      Map<String, String> controlPlaneSettings) {
    this.database = database;
    this.clusterSettings = clusterSettings;
    this.dataPlaneSettings = dataPlaneSettings;
    admin =
        nodes
            .start(
                new ProvisioningService(),
                database.settings(),
                cluster.settings(),
                clusterSettings,
                controlPlaneSettings,
                Map.of("plinth.bootstrap.operator-key", operatorKey))
            .client()
            .withBearer(operatorKey);
    dataPlaneNode =
        nodes.start(
            dataPlaneService(),
            database.settings(),
            cluster.settings(),
            clusterSettings,
            dataPlaneSettings);
    api = dataPlaneNode.client();
  }

  /** The data-plane node's route table, as its HTTP servers match requests. */
  List<Route> dataPlaneRoutes() {
    return dataPlaneNode.node().routes();
  }

  /** The first data-plane node and {@code more} others, as a load balancer would spread over. */
  List<PlinthClient> dataPlaneNodes(int more) {
    List<PlinthClient> all = new java.util.ArrayList<>(List.of(api));
    for (int i = 0; i < more; i++) {
      all.add(anotherDataPlaneNode());
    }
    return List.copyOf(all);
  }

  /** One more data-plane node on the same database and cluster. */
  PlinthClient anotherDataPlaneNode() {
    return anotherDataPlaneNode(Map.of()).client();
  }

  /**
   * One more control-plane node on the same database and cluster, with settings of its own (e.g.
   * the data plane it forwards operators' data requests to), as an operator's client.
   */
  PlinthClient anotherControlPlaneNode(Map<String, String> own) {
    return addedNodes
        .start(
            new ProvisioningService(),
            database.settings(),
            cluster.settings(),
            clusterSettings,
            own)
        .client()
        .withBearer(operatorKey);
  }

  /** The first data-plane node (the one {@link #api} talks to). */
  TestNodes.Node firstDataPlaneNode() {
    return dataPlaneNode;
  }

  /** One more data-plane node, with settings of its own on top of the plane's. */
  TestNodes.Node anotherDataPlaneNode(Map<String, String> own) {
    return addedNodes.start(
        dataPlaneService(),
        database.settings(),
        cluster.settings(),
        clusterSettings,
        dataPlaneSettings,
        own);
  }

  /**
   * Kills a node as a crash would, with no drain and no goodbye: its HTTP servers close at once,
   * cutting the requests in flight (the node must have {@code plinth.shutdown.timeout=0ms}, or its
   * servers would drain), then its Hazelcast member terminates without handing its partitions over
   * or leaving the cluster; the other members find out for themselves. Its PostgreSQL sessions stay
   * open until the plane closes, as a dead process's may for a while.
   */
  static void kill(TestNodes.Node node) throws Exception {
    Infrastructure infra = node.node().infrastructure();
    Vertx vertx = infra.vertx();
    if (!infra.config().shutdownTimeout().isZero()) {
      throw new IllegalArgumentException("start the node with plinth.shutdown.timeout=0ms");
    }
    io.vertx.core.Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .await(10, TimeUnit.SECONDS);
    infra.cluster().getLifecycleService().terminate();
  }

  private TenantApiService dataPlaneService() {
    return new TenantApiService();
  }

  Tenant newTenant() {
    return newTenant("enterprise");
  }

  Tenant newTenant(String plan) {
    String slug = "d-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject created =
        admin
            .postJson(
                "/admin/v1/tenants",
                new JsonObject().put("slug", slug).put("name", slug).put("plan", plan))
            .json();
    String publishable = null;
    String secret = null;
    for (Object k : created.getJsonArray("keys")) {
      JsonObject key = (JsonObject) k;
      if ("publishable".equals(key.getString("kind"))) {
        publishable = key.getString("key");
      } else {
        secret = key.getString("key");
      }
    }
    Tenant tenant =
        new Tenant(
            UUID.fromString(created.getString("id")),
            slug,
            created.getString("schema"),
            publishable,
            secret);
    signInWith(tenant, tokens.expectation(slug));
    return tenant;
  }

  /**
   * Sets where the tenant's end users sign in, as the identity provisioning step records it in the
   * registry (null: nowhere, every token refused), and drops the tenant from the cluster cache so
   * every node reads it again.
   */
  void signInWith(Tenant tenant, TokenExpectation expected) {
    try (Connection db = database.connect();
        java.sql.PreparedStatement update =
            db.prepareStatement(
                "UPDATE plinth.tenants SET identity_mode = ?, identity_issuer = ?,"
                    + " identity_audience = ?, identity_organization = ? WHERE id = ?")) {
      String mode =
          expected == null ? null : expected.organization() == null ? "realm" : "organization";
      update.setString(1, mode);
      update.setString(2, expected == null ? null : expected.issuer());
      update.setString(3, expected == null ? null : expected.audience());
      update.setString(4, expected == null ? null : expected.organization());
      update.setObject(5, tenant.id());
      update.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    // As the control plane does after a change: a node below the majority cannot invalidate, and
    // does not cache either, so a failure is logged and ignored.
    Infrastructure infra = dataPlaneNode.node().infrastructure();
    try {
      new RegistryInvalidations(infra.cluster(), infra.vertx())
          .tenantChanged(tenant.id())
          .await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the tenant cache was not invalidated", e);
    }
  }

  /**
   * A collection definition from {@code "name:type"} pairs, for the tests that need plain fields;
   * rules stay at the default unless a test adds them.
   */
  static JsonObject collection(String name, String... fields) {
    io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
    for (String field : fields) {
      String[] parts = field.split(":", 2);
      list.add(new JsonObject().put("name", parts[0]).put("type", parts[1]));
    }
    return new JsonObject().put("name", name).put("fields", list);
  }

  /**
   * Sends a request as a well-behaved client of a rate-limited plan does: on 429 it waits for
   * {@code Retry-After} and sends again.
   */
  static PlinthClient.Response politely(java.util.function.Supplier<PlinthClient.Response> call) {
    for (int attempt = 0; ; attempt++) {
      PlinthClient.Response response = call.get();
      if (response.status() != 429 || attempt == 20) {
        return response;
      }
      try {
        Thread.sleep(1000L * Long.parseLong(response.header("Retry-After").orElse("1").trim()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return response;
      }
    }
  }

  /** The data-plane client with a tenant's key in header {@code apikey}. */
  PlinthClient as(String key) {
    return api.withHeader("apikey", key);
  }

  /** The client of a tenant's app with its publishable key, signed in as end user {@code sub}. */
  PlinthClient asUser(Tenant tenant, String subject) {
    return as(tenant.publishableKey()).withBearer(tokens.token(tenant.slug(), subject));
  }

  /**
   * Two days pass for the tenant's change history, and retention prunes what is older than a day:
   * resuming a change stream from any change made so far then answers 410.
   */
  void expireChanges(Tenant tenant) throws Exception {
    try (Connection db = database.connect();
        Statement sql = db.createStatement()) {
      sql.execute(
          "UPDATE " + tenant.schema() + ".plinth_changes SET at = now() - interval '2 days'");
    }
    withPool(pool -> new ChangeLog(pool).prune(tenant.schema(), Duration.ofHours(24)));
  }

  /**
   * Two days pass for the tenant's idempotency keys, and pruning deletes what is older than a day,
   * as it does on the data plane's timer: every key used so far is free again.
   */
  void expireIdempotencyKeys(Tenant tenant) throws Exception {
    try (Connection db = database.connect();
        Statement sql = db.createStatement()) {
      sql.execute(
          "UPDATE "
              + tenant.schema()
              + ".plinth_idempotency_keys SET created_at = now() - interval '2 days'");
    }
    withPool(pool -> new IdempotencyKeys(pool).prune(tenant.schema()));
  }

  /** Runs {@code work} on a pool of the plane's database of its own, and waits for it. */
  private void withPool(java.util.function.Function<Pool, io.vertx.core.Future<?>> work)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      URI url = URI.create(database.url().replace("jdbc:", ""));
      Pool pool =
          PgBuilder.pool()
              .connectingTo(
                  new PgConnectOptions()
                      .setHost(url.getHost())
                      .setPort(url.getPort())
                      .setDatabase(database.name())
                      .setUser(database.user())
                      .setPassword(database.password()))
              .using(vertx)
              .build();
      work.apply(pool).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Stops the data-plane nodes added to the first one, leaving the plane as it started. */
  void stopAddedNodes() {
    addedNodes.close();
  }

  @Override
  public void close() {
    addedNodes.close();
    nodes.close();
    tokens.close();
  }
}
