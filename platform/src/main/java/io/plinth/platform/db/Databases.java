package io.plinth.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The node's PostgreSQL connections: one writer pool, optional reader pools for replicas, and a
 * JDBC {@link DataSource} for Flyway, which must only be used off the event loop. Reads that may be
 * stale go round-robin over the replicas in the rotation ({@link ReadReplicas}); a read after a
 * write's {@link WalPosition} goes to a replica that has replayed past it, or to the writer; with
 * no replica in the rotation, every read goes to the writer.
 */
public final class Databases implements Reads, AutoCloseable {

  /** Largest number of prepared statements kept per connection, so many tenants stay bounded. */
  static final int PREPARED_STATEMENT_CACHE_SIZE = 256;

  private static final String WRITER_NAME = "plinth-writer";
  private static final String READER_NAME = "plinth-reader-";

  private final Vertx vertx;
  private final PlinthConfig.Database config;
  private final Pool writer;
  private final AtomicLong writerReads = new AtomicLong();
  private final ReadReplicas replicas;
  private final long checkTimer; // -1 without replicas
  private HikariDataSource jdbcWriter; // guarded by this; made on first use

  private Databases(
      Vertx vertx, PlinthConfig.Database config, Pool writer, List<ReadReplicas.Replica> readers) {
    this.vertx = vertx;
    this.config = config;
    this.writer = writer;
    Duration interval = config.replicaCheckInterval();
    this.replicas =
        new ReadReplicas(
            vertx,
            readers,
            config.replicaMaxLag(),
            interval.compareTo(config.connectTimeout()) > 0 ? interval : config.connectTimeout());
    if (readers.isEmpty()) {
      checkTimer = -1;
    } else {
      replicas.checkAll();
      checkTimer = vertx.setPeriodic(interval.toMillis(), ignored -> replicas.checkAll());
    }
  }

  /** Creates the pools; no connection is opened until the first query (or replica check). */
  public static Databases create(Vertx vertx, PlinthConfig.Database config) {
    Pool writer = pool(vertx, config, config.writerUrl(), WRITER_NAME);
    List<ReadReplicas.Replica> readers = new ArrayList<>();
    for (int i = 0; i < config.readerUrls().size(); i++) {
      String name = READER_NAME + i;
      readers.add(
          new ReadReplicas.Replica(name, pool(vertx, config, config.readerUrls().get(i), name)));
    }
    return new Databases(vertx, config, writer, List.copyOf(readers));
  }

  private static Pool pool(Vertx vertx, PlinthConfig.Database config, URI url, String name) {
    int connectTimeoutMs = (int) config.connectTimeout().toMillis();
    PoolOptions pool =
        new PoolOptions()
            .setName(name)
            .setMaxSize(config.poolSize())
            .setMaxWaitQueueSize(config.poolSize() * 64)
            .setConnectionTimeout(connectTimeoutMs)
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            .setIdleTimeout(5)
            .setIdleTimeoutUnit(TimeUnit.MINUTES)
            .setPoolCleanerPeriod(30_000);
    return PgBuilder.pool()
        .with(pool)
        .with(new NetClientOptions().setConnectTimeout(connectTimeoutMs))
        .connectingTo(connectOptions(config, url, name))
        .using(vertx)
        .build();
  }

  private static PgConnectOptions connectOptions(
      PlinthConfig.Database config, URI url, String name) {
    return new PgConnectOptions()
        .setHost(url.getHost())
        .setPort(url.getPort() > 0 ? url.getPort() : 5432)
        .setDatabase(url.getPath().substring(1))
        .setUser(config.user())
        .setPassword(config.password().value())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(PREPARED_STATEMENT_CACHE_SIZE)
        .setPipeliningLimit(16)
        // Server-side bound on every statement of the request path: PostgreSQL itself cancels
        // a runaway query, so it stops using the database when the client gets its 503. Without
        // parallel workers one request's scan uses one database core, not three, so a tenant's
        // share of the database is what its bulkhead and busy-time allowance say (ADR 0012).
        .setProperties(
            java.util.Map.of(
                "statement_timeout",
                String.valueOf(config.statementTimeout().toMillis()),
                "max_parallel_workers_per_gather",
                String.valueOf(config.parallelWorkersPerStatement()),
                "application_name",
                name));
  }

  /**
   * A connection to the writer that receives {@code NOTIFY}s (one per call: the caller owns and
   * closes it). It reconnects after a second when the connection drops; notifications sent while it
   * was down are lost, so listeners must also poll.
   */
  public PgSubscriber notifications(String name) {
    return PgSubscriber.subscriber(vertx, connectOptions(config, config.writerUrl(), name))
        .reconnectPolicy(attempt -> 1_000L);
  }

  /** One pool by name, with its role ({@code writer} or {@code reader}) and configured size. */
  public record NamedPool(String name, String role, Pool pool, int maxSize) {}

  /** Every pool, the writer first, each by the name it has in Vert.x's pool metrics. */
  public List<NamedPool> pools() {
    List<NamedPool> all = new ArrayList<>();
    all.add(new NamedPool(WRITER_NAME, "writer", writer, config.poolSize()));
    for (ReadReplicas.Replica replica : replicas.all()) {
      all.add(new NamedPool(replica.name, "reader", replica.pool, config.poolSize()));
    }
    return all;
  }

  /** For writes, and for reads that must see the caller's own writes. */
  public Pool writer() {
    return writer;
  }

  /** For reads that may lag the writer: a replica in the rotation, else the writer. */
  public Pool reader() {
    return replicas.any().map(replica -> replica.pool).orElse(writer);
  }

  /** Whether reader pools are configured: only then do reads' tokens matter. */
  public boolean hasReplicas() {
    return !replicas.all().isEmpty();
  }

  /**
   * The writer's WAL position now, for a write that has committed: a replica that has replayed to
   * it shows the write. Empty without replicas (every read is on the writer then, and the token
   * would cost a round trip for nothing).
   */
  public Future<Optional<WalPosition>> writePosition() {
    if (!hasReplicas()) {
      return Future.succeededFuture(Optional.empty());
    }
    // The insert position, not the write position: with synchronous_commit off, a commit that
    // has returned may not be written yet, and its record ends before the insert position.
    return writer
        .query("SELECT pg_current_wal_insert_lsn()::text")
        .execute()
        .map(rows -> WalPosition.parse(rows.iterator().next().getString(0)));
  }

  @Override
  public <T> Future<T> run(Optional<WalPosition> after, Function<SqlClient, Future<T>> read) {
    if (!hasReplicas()) {
      return onWriter(read);
    }
    Future<Optional<ReadReplicas.Replica>> replica =
        after.isEmpty()
            ? Future.succeededFuture(replicas.any())
            : replicas.reaching(after.get(), config.readYourWritesWait().toMillis());
    return replica.compose(
        found -> found.isEmpty() ? onWriter(read) : onReplica(found.get(), read));
  }

  private <T> Future<T> onWriter(Function<SqlClient, Future<T>> read) {
    writerReads.incrementAndGet();
    return read.apply(writer);
  }

  /**
   * A read on a replica, or again on the writer when the replica fails it: a lost connection, or a
   * table or column the replica has not replayed yet. Not after a statement timeout: the writer
   * would take as long.
   */
  private <T> Future<T> onReplica(
      ReadReplicas.Replica replica, Function<SqlClient, Future<T>> read) {
    replica.reads.incrementAndGet();
    return read.apply(replica.pool)
        .recover(
            failure -> {
              if (SqlStates.is(failure, SqlStates.QUERY_CANCELED)) {
                return Future.failedFuture(failure);
              }
              replicas.readFailed(replica, failure);
              return onWriter(read);
            });
  }

  /**
   * A pooled JDBC data source on the writer, for Flyway; blocking, so never on the event loop. Up
   * to {@code plinth.db.pool-size} connections, none kept when idle.
   */
  public synchronized DataSource jdbcWriter() {
    if (jdbcWriter == null) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      URI url = config.writerUrl();
      ds.setServerNames(new String[] {url.getHost()});
      ds.setPortNumbers(new int[] {url.getPort() > 0 ? url.getPort() : 5432});
      ds.setDatabaseName(url.getPath().substring(1));
      ds.setUser(config.user());
      ds.setPassword(config.password().value());
      ds.setApplicationName("plinth-migrations");
      HikariConfig hikari = new HikariConfig();
      hikari.setDataSource(ds);
      hikari.setPoolName("plinth-jdbc");
      hikari.setMaximumPoolSize(config.poolSize());
      hikari.setMinimumIdle(0);
      hikari.setIdleTimeout(60_000);
      hikari.setConnectionTimeout(Math.max(250, config.connectTimeout().toMillis()));
      hikari.setInitializationFailTimeout(-1); // a database that is down now may be up later
      jdbcWriter = new HikariDataSource(hikari);
    }
    return jdbcWriter;
  }

  /**
   * Readiness: the writer answers {@code SELECT 1}. The readers are listed with their state ({@code
   * in_rotation}, {@code lagging}, {@code down}) and lag as last checked; a reader out of the
   * rotation does not make the node unready, since the writer serves its reads.
   */
  public ReadinessCheck readinessCheck() {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "postgresql";
      }

      @Override
      public Future<JsonObject> check() {
        return writer
            .query("SELECT 1")
            .execute()
            .map(
                ignored -> {
                  JsonObject details = new JsonObject().put("readers", replicas.all().size());
                  return hasReplicas() ? details.put("replicas", replicas.report()) : details;
                });
      }
    };
  }

  /**
   * {@code plinth_db_pool_max_connections} for every pool (with Vert.x's {@code vertx_pool_in_use},
   * the pool's saturation) and {@code plinth_db_replica_lag_seconds} for each reader, as its
   * readiness check last measured it.
   */
  public void registerMetrics(MeterRegistry meters) {
    for (NamedPool pool : pools()) {
      Gauge.builder("plinth.db.pool.max.connections", pool, NamedPool::maxSize)
          .description("Most connections the pool opens")
          .tag("pool_name", pool.name())
          .tag("role", pool.role())
          .register(meters);
    }
    FunctionCounter.builder("plinth.db.reads", writerReads, AtomicLong::get)
        .description("Reads routed by consistency, by the pool that served them")
        .tag("pool_name", WRITER_NAME)
        .register(meters);
    for (ReadReplicas.Replica replica : replicas.all()) {
      Gauge.builder("plinth.db.replica.lag", replica.lagMillis, lag -> lag.get() / 1000.0)
          .description("How far the reader's replay is behind the primary, at the last check")
          .baseUnit("seconds")
          .tag("pool_name", replica.name)
          .register(meters);
      Gauge.builder(
              "plinth.db.replica.in.rotation",
              replica,
              r -> r.state() == ReadReplicas.State.IN_ROTATION ? 1 : 0)
          .description("1 while the reader takes reads; 0 while it is down or lags too far")
          .tag("pool_name", replica.name)
          .register(meters);
      FunctionCounter.builder("plinth.db.reads", replica.reads, AtomicLong::get)
          .description("Reads routed by consistency, by the pool that served them")
          .tag("pool_name", replica.name)
          .register(meters);
    }
  }

  @Override
  public void close() {
    closeAsync();
  }

  /** Closes every pool; completes when they are closed. */
  public Future<Void> closeAsync() {
    List<Future<Void>> closing = new ArrayList<>();
    if (checkTimer >= 0) {
      vertx.cancelTimer(checkTimer);
    }
    closing.add(writer.close());
    replicas.all().forEach(replica -> closing.add(replica.pool.close()));
    HikariDataSource jdbc;
    synchronized (this) {
      jdbc = jdbcWriter;
    }
    if (jdbc != null) {
      closing.add(
          vertx.executeBlocking(
              () -> {
                jdbc.close();
                return null;
              }));
    }
    return Future.join(closing).mapEmpty();
  }
}
