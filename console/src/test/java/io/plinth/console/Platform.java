package io.plinth.console;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.provisioning.ProvisioningService;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestNodes;
import io.plinth.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The real platform the console's browser tests drive: a control plane serving the console (its
 * jar's resources are on the test classpath) and a data-plane node, on one fresh database and
 * cluster. Their ports are chosen before they start, because each names the other's URL (the data
 * plane the control plane forwards operators' data access to, the console's redirect URIs).
 */
final class Platform implements AutoCloseable {

  final String operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
  private final TestPostgres.Database database = TestPostgres.newDatabase();
  private final TestCluster cluster = TestCluster.create();
  private final TestNodes nodes = new TestNodes();
  private final int controlPlanePort = freePort();
  private final int dataPlanePort = freePort();

  /** Where the console is, and the control plane: {@code http://127.0.0.1:<port>}. */
  final String url = "http://127.0.0.1:" + controlPlanePort;

  final String dataPlaneUrl = "http://127.0.0.1:" + dataPlanePort;
  final PlinthClient admin;
  final PlinthClient dataPlane;

  /**
   * @param identity the control plane's identity settings (none: no Keycloak)
   */
  Platform(Map<String, String> identity) {
    // Usage counted and measured every second, so the usage charts have data within a test.
    Map<String, String> usage =
        Map.of("plinth.usage.flush-interval", "1s", "plinth.usage.sample-interval", "1s");
    Map<String, String> controlPlane = new HashMap<>(identity);
    controlPlane.putAll(usage);
    controlPlane.put("plinth.http.port", String.valueOf(controlPlanePort));
    controlPlane.put("plinth.bootstrap.operator-key", operatorKey);
    controlPlane.put("plinth.console.data-plane-url", dataPlaneUrl);
    controlPlane.put("plinth.identity.console.redirect-uris", url + "/*");
    admin =
        nodes
            .start(new ProvisioningService(), database.settings(), cluster.settings(), controlPlane)
            .client()
            .withBearer(operatorKey);
    Map<String, String> dataPlaneSettings = new HashMap<>(usage);
    dataPlaneSettings.put("plinth.http.port", String.valueOf(dataPlanePort));
    dataPlane =
        nodes
            .start(
                new TenantApiService(), database.settings(), cluster.settings(), dataPlaneSettings)
            .client();
  }

  /** The data plane as a tenant's server, with its secret key. */
  PlinthClient tenant(String secretKey) {
    return dataPlane.withHeader("apikey", secretKey);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    nodes.close();
  }
}
