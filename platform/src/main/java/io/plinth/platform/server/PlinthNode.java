package io.plinth.platform.server;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.hazelcast.core.HazelcastInstance;
import io.plinth.platform.cluster.ClusterMember;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.config.Settings;
import io.plinth.platform.db.DatabaseTime;
import io.plinth.platform.db.Databases;
import io.plinth.platform.directory.NodeDirectory;
import io.plinth.platform.directory.PoolFigures;
import io.plinth.platform.health.HealthRoutes;
import io.plinth.platform.health.Readiness;
import io.plinth.platform.health.ReadinessCheck;
import io.plinth.platform.metrics.Metrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of a Plinth service: its Vert.x, Hazelcast member, PostgreSQL pools,
 * metrics, health and HTTP servers. Several nodes of the same service can run side by side, in one
 * JVM or many; they meet in the Hazelcast cluster.
 */
public final class PlinthNode {

  private static final Logger LOG = LoggerFactory.getLogger(PlinthNode.class);

  /** Longest a stopping node waits to leave the node directory before it stops anyway. */
  private static final long DEREGISTER_TIMEOUT_MS = 2_000;

  /** Allowance for closing the pools and Vert.x once the member has left. */
  private static final Duration RELEASE_ALLOWANCE = Duration.ofSeconds(5);

  private final PlinthService service;
  private final Infrastructure infrastructure;
  private final Metrics metrics;
  private final Readiness readiness;
  private final List<HttpVerticle> servers;
  private final PlinthService.Routes routes;
  private final String deploymentId;
  private final AtomicReference<Future<Void>> stopping = new AtomicReference<>();

  private PlinthNode(
      PlinthService service,
      Infrastructure infrastructure,
      Metrics metrics,
      Readiness readiness,
      List<HttpVerticle> servers,
      PlinthService.Routes routes,
      String deploymentId) {
    this.service = service;
    this.infrastructure = infrastructure;
    this.metrics = metrics;
    this.readiness = readiness;
    this.servers = servers;
    this.routes = routes;
    this.deploymentId = deploymentId;
  }

  /**
   * Starts a node: metrics, Vert.x, the cluster member, pools, the service, then the HTTP servers.
   * On failure, whatever was started is stopped again and the future fails with the cause.
   */
  public static Future<PlinthNode> start(PlinthService service, PlinthConfig config) {
    Metrics metrics = new Metrics(service.name());
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(metrics.vertxMetricsOptions()))
            .withMetrics(metrics.vertxMetricsFactory())
            .withTracer(DatabaseTime.factory())
            .build();
    AtomicReference<HazelcastInstance> member = new AtomicReference<>();
    AtomicReference<Databases> databases = new AtomicReference<>();
    Promise<PlinthNode> started = Promise.promise();
    vertx
        .executeBlocking(() -> ClusterMember.start(config.cluster(), service.name()))
        .compose(
            hz -> {
              member.set(hz);
              ClusterMember.registerMetrics(hz, metrics.registry());
              databases.set(Databases.create(vertx, config.database()));
              Infrastructure infra =
                  new Infrastructure(
                      service.name(),
                      config,
                      vertx,
                      databases.get(),
                      hz,
                      metrics.registry(),
                      new EventLoopLag(config.http().lateAfter(), metrics.registry()),
                      new NodeDirectory(hz, vertx));
              return service
                  .start(infra)
                  .compose(routes -> deploy(service, infra, metrics, routes));
            })
        .onSuccess(started::complete)
        .onFailure(
            failure -> {
              LOG.error("start-up failed {}", kv("service", service.name()), failure);
              release(vertx, databases.get(), member.get(), metrics)
                  .onComplete(ignored -> started.fail(failure));
            });
    return started.future();
  }

  private static Future<PlinthNode> deploy(
      PlinthService service, Infrastructure infra, Metrics metrics, PlinthService.Routes routes) {
    PlinthConfig config = infra.config();
    List<ReadinessCheck> checks = new ArrayList<>();
    checks.add(infra.databases().readinessCheck());
    checks.add(ClusterMember.readinessCheck(infra.cluster()));
    checks.addAll(routes.readinessChecks());
    Readiness readiness = new Readiness(checks, config.healthTimeout());
    readiness.registerMetrics(infra.meters());
    infra.databases().registerMetrics(infra.meters());
    // Keeps plinth_ready (and what the checks measure: replica lag, Keycloak) fresh for scrapes
    // between the orchestrator's probes.
    infra
        .vertx()
        .setPeriodic(
            1, Readiness.METRIC_PERIOD.toMillis(), ignored -> readiness.evaluate(infra.vertx()));
    HealthRoutes health = new HealthRoutes(readiness);
    List<HttpVerticle> servers = new CopyOnWriteArrayList<>();
    return infra
        .vertx()
        .deployVerticle(
            () -> {
              HttpVerticle server =
                  new HttpVerticle(
                      config.http(),
                      config.shutdownTimeout().toMillis(),
                      infra.eventLoopLag(),
                      health,
                      metrics.scrapeHandler(),
                      routes);
              servers.add(server);
              return server;
            },
            new DeploymentOptions().setInstances(config.http().instances()))
        .compose(
            id -> {
              PlinthNode node =
                  new PlinthNode(service, infra, metrics, readiness, servers, routes, id);
              return list(node, infra).map(node);
            })
        .map(
            node -> {
              LOG.info(
                  "started {} {} {} {}",
                  kv("service", service.name()),
                  kv("port", node.port()),
                  kv("database", config.database().writerUrl()),
                  kv("cluster", config.cluster().name()));
              return node;
            });
  }

  /** Puts the node in the cluster's node directory, with its pools' figures kept fresh there. */
  private static Future<Void> list(PlinthNode node, Infrastructure infra) {
    String url =
        NodeDirectory.advertisedUrl(
            infra.config().source().value(Settings.HTTP_ADVERTISED_URL),
            infra.config().http().host(),
            node.port());
    List<Databases.NamedPool> pools = infra.databases().pools();
    return infra
        .directory()
        .register(
            node.service.name(),
            url,
            () -> pools.stream().map(pool -> PoolFigures.of(pool, infra.meters())).toList());
  }

  /** The port the HTTP servers listen on (the chosen one when configured as 0). */
  public int port() {
    return servers.get(0).actualPort();
  }

  /**
   * The route table of this node's HTTP servers (all of them have the same one), in matching order:
   * for tests and diagnostics that compare what is served with what is documented.
   */
  public List<Route> routes() {
    return servers.get(0).routes();
  }

  public Infrastructure infrastructure() {
    return infrastructure;
  }

  /**
   * The longest {@link #stop} takes with this shutdown timeout: leaving the node directory, the
   * in-flight requests (up to the timeout), the service's stop work (up to the timeout again), the
   * member's graceful leave ({@link ClusterMember#GRACEFUL_SHUTDOWN_MAX_WAIT_SECONDS}) and closing
   * pools and Vert.x. Whatever stops the process must wait at least this long before killing it
   * (Kubernetes: terminationGracePeriodSeconds, after the preStop hook;
   * docs/kubernetes-cluster.md).
   */
  public static Duration longestStop(Duration shutdownTimeout) {
    return Duration.ofMillis(DEREGISTER_TIMEOUT_MS)
        .plus(shutdownTimeout.multipliedBy(2))
        .plusSeconds(ClusterMember.GRACEFUL_SHUTDOWN_MAX_WAIT_SECONDS)
        .plus(RELEASE_ALLOWANCE);
  }

  /**
   * Graceful stop: readiness turns to 503, the servers stop accepting and let in-flight requests
   * finish (bounded by {@code plinth.shutdown.timeout}), the service finishes its stop work ({@link
   * PlinthService.Routes#stop}, bounded by the same timeout), then pools close, the member leaves
   * the cluster and Vert.x stops. Calling it again returns the same future.
   */
  public Future<Void> stop() {
    Future<Void> first = stopping.get();
    if (first != null) {
      return first;
    }
    Promise<Void> promise = Promise.promise();
    if (!stopping.compareAndSet(null, promise.future())) {
      return stopping.get();
    }
    LOG.info("stopping {}", kv("service", service.name()));
    readiness.startDraining();
    Vertx vertx = infrastructure.vertx();
    infrastructure
        .directory()
        .deregister()
        .timeout(DEREGISTER_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .transform(ignored -> vertx.undeploy(deploymentId))
        .transform(ignored -> finishServiceWork())
        .onComplete(
            undeployed ->
                release(vertx, infrastructure.databases(), infrastructure.cluster(), metrics)
                    .onComplete(
                        released -> {
                          LOG.info("stopped {}", kv("service", service.name()));
                          promise.complete();
                        }));
    return promise.future();
  }

  /** The service's own stop work, bounded by the shutdown timeout; a failure is only logged. */
  private Future<Void> finishServiceWork() {
    Future<Void> work;
    try {
      work = routes.stop();
    } catch (RuntimeException e) {
      work = Future.failedFuture(e);
    }
    return work.timeout(infrastructure.config().shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              LOG.warn("service stop work did not finish {}", kv("service", service.name()), e);
              return Future.succeededFuture();
            });
  }

  /**
   * Releases resources in reverse order of start; each step runs even if an earlier one failed. The
   * returned future is not tied to a Vert.x context: callbacks on context futures would never run
   * once Vert.x itself is closed.
   */
  private static Future<Void> release(
      Vertx vertx, Databases databases, HazelcastInstance member, Metrics metrics) {
    Promise<Void> released = Promise.promise();
    Future<Void> pools = databases == null ? Future.succeededFuture() : databases.closeAsync();
    pools
        .transform(
            ignored ->
                member == null
                    ? Future.<Void>succeededFuture()
                    : vertx.<Void>executeBlocking(
                        () -> {
                          member.shutdown();
                          return null;
                        }))
        .onComplete(
            ignored ->
                vertx
                    .close()
                    .onComplete(
                        closed -> {
                          metrics.close();
                          released.complete();
                        }));
    return released.future();
  }
}
