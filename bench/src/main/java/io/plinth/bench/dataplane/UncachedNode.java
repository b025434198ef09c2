package io.plinth.bench.dataplane;

import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.Progress;
import io.plinth.localpostgres.LocalPostgres;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.config.Settings;
import io.plinth.platform.server.PlinthNode;
import io.plinth.tenantapi.TenantApiService;
import io.plinth.tenantapi.TenantApiSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second data-plane node on the platform's database and cluster, with the record cache off: every
 * GET by id on it reads PostgreSQL.
 */
final class UncachedNode implements AutoCloseable {

  private PlinthNode node;

  private UncachedNode(PlinthNode node) {
    this.node = node;
  }

  static UncachedNode start(BenchPlatform platform) throws Exception {
    Progress.say("starting a second data-plane node with the record cache off");
    LocalPostgres pg = platform.postgres();
    Map<String, String> overrides = new HashMap<>();
    overrides.put(Settings.DB_URL.key(), pg.uri("plinth"));
    overrides.put(Settings.DB_USER.key(), pg.user());
    overrides.put(Settings.HTTP_HOST.key(), "127.0.0.1");
    overrides.put(Settings.HTTP_PORT.key(), "0");
    overrides.put(TenantApiSettings.RECORD_CACHE.key(), "false");
    TenantApiService service = new TenantApiService();
    ConfigSource source = platform.source(Map.of()).with(overrides, service.defaults());
    return new UncachedNode(
        PlinthNode.start(service, PlinthConfig.load(source)).await(120, TimeUnit.SECONDS));
  }

  int port() {
    return node.port();
  }

  /** Stops the node, if it still runs. */
  @Override
  public void close() throws Exception {
    if (node != null) {
      PlinthNode running = node;
      node = null;
      running.stop().await(60, TimeUnit.SECONDS);
    }
  }
}
