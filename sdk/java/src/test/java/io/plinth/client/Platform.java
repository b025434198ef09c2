package io.plinth.client;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.provisioning.ProvisioningService;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestNodes;
import io.plinth.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.UUID;

/**
 * The real platform for the SDK's integration tests: a control plane and a data-plane node on one
 * database and cluster; tenants are made through the admin API, as an operator would.
 */
final class Platform implements AutoCloseable {

  /** A tenant's keys, as the admin API returns them once. */
  record TenantKeys(String slug, String publishableKey, String secretKey) {}

  private final TestNodes nodes = new TestNodes();
  private final io.plinth.testing.PlinthClient admin;
  private final URI dataPlaneUrl;

  Platform() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    TestCluster cluster = TestCluster.create();
    String operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
    admin =
        nodes
            .start(
                new ProvisioningService(),
                database.settings(),
                cluster.settings(),
                java.util.Map.of("plinth.bootstrap.operator-key", operatorKey))
            .client()
            .withBearer(operatorKey);
    dataPlaneUrl =
        URI.create(
            nodes
                .start(new TenantApiService(), database.settings(), cluster.settings())
                .client()
                .baseUrl());
  }

  URI dataPlaneUrl() {
    return dataPlaneUrl;
  }

  TenantKeys newTenant() {
    String slug = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
    var created =
        admin.postJson(
            "/admin/v1/tenants",
            new JsonObject().put("slug", slug).put("name", slug).put("plan", "enterprise"));
    if (created.status() != 201) {
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
    return new TenantKeys(slug, publishable, secret);
  }

  @Override
  public void close() {
    nodes.close();
  }
}
