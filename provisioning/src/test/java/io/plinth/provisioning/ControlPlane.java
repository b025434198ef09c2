package io.plinth.provisioning;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import io.plinth.provisioning.workflow.StepObserver;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.TestCluster;
import io.plinth.testing.TestNodes;
import io.plinth.testing.TestPostgres;
import java.util.HashMap;
import java.util.Map;

/**
 * A control plane for tests: its own database and cluster, a bootstrap operator key, and nodes that
 * can be stopped and started again on the same database (a restart, or a crash and a restart).
 */
final class ControlPlane implements AutoCloseable {

  /** Tenant migrations with a second version "shipped", see src/test/resources/db/tenant-next. */
  static final String NEXT_MIGRATIONS = "classpath:db/tenant,classpath:db/tenant-next";

  /** The newest tenant-schema version in src/main/resources/db/tenant. */
  static final String SHIPPED_VERSION = "4";

  /** The version the test-only migration in db/tenant-next brings. */
  static final String NEXT_VERSION = "5";

  final String operatorKey = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
  final TestPostgres.Database database = TestPostgres.newDatabase();
  private final TestCluster cluster = TestCluster.create();
  private TestNodes nodes = new TestNodes();
  private TestNodes.Node last;

  /** Starts a node with the default tenant migrations and no step observer. */
  PlinthClient start() {
    return start(StepObserver.NONE, Map.of());
  }

  /** Starts a node; {@code settings} add to or override the fixture's. */
  PlinthClient start(StepObserver observer, Map<String, String> settings) {
    Map<String, String> own = new HashMap<>(settings);
    own.putIfAbsent("plinth.bootstrap.operator-key", operatorKey);
    last =
        nodes.start(
            new ProvisioningService(observer), database.settings(), cluster.settings(), own);
    return last.client().withBearer(operatorKey);
  }

  /** The route table of the node started last, as its HTTP servers match requests. */
  java.util.List<io.vertx.ext.web.Route> routes() {
    return last.node().routes();
  }

  /** Stops every node (in-flight requests get the drain timeout), keeping the database. */
  void stopNodes() {
    nodes.close();
    nodes = new TestNodes();
  }

  @Override
  public void close() {
    nodes.close();
  }
}
