package io.plinth.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The node's PostgreSQL connections: one writer pool, optional reader pools for replicas (reads go
 * round-robin over them, or to the writer when there are none), and a JDBC {@link DataSource} for
 * Flyway, which must only be used off the event loop.
 */
public final class Databases implements AutoCloseable {

  /** Largest number of prepared statements kept per connection, so many tenants stay bounded. */
  static final int PREPARED_STATEMENT_CACHE_SIZE = 256;

  private static final String WRITER_NAME = "plinth-writer";
  private static final String READER_NAME = "plinth-reader-";

  private final Vertx vertx;
  private final PlinthConfig.Database config;
  private final Pool writer;
  private final List<Pool> readers;
  private final AtomicInteger nextReader = new AtomicInteger();
  private final List<AtomicLong> readerLagMillis; // by reader, from the last readiness check
  private HikariDataSource jdbcWriter; // guarded by this; made on first use

  private Databases(Vertx vertx, PlinthConfig.Database config, Pool writer, List<Pool> readers) {
    this.vertx = vertx;
    this.config = config;
    this.writer = writer;
    this.readers = readers;
    this.readerLagMillis = readers.stream().map(r -> new AtomicLong()).toList();
  }

  /** Creates the pools; no connection is opened until the first query. */
  public static Databases create(Vertx vertx, PlinthConfig.Database config) {
    Pool writer = pool(vertx, config, config.writerUrl(), WRITER_NAME);
    List<Pool> readers = new ArrayList<>();
    for (int i = 0; i < config.readerUrls().size(); i++) {
      readers.add(pool(vertx, config, config.readerUrls().get(i), READER_NAME + i));
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
    for (int i = 0; i < readers.size(); i++) {
      all.add(new NamedPool(READER_NAME + i, "reader", readers.get(i), config.poolSize()));
    }
    return all;
  }

  /** For writes, and for reads that must see the caller's own writes. */
  public Pool writer() {
    return writer;
  }

  /** For reads that may lag the writer slightly: a replica when there is one. */
  public Pool reader() {
    if (readers.isEmpty()) {
      return writer;
    }
    return readers.get(Math.floorMod(nextReader.getAndIncrement(), readers.size()));
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

  /** Readiness: the writer and every reader answer {@code SELECT 1}. */
  public ReadinessCheck readinessCheck() {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "postgresql";
      }

      @Override
      public Future<JsonObject> check() {
        List<Future<?>> pings = new ArrayList<>();
        pings.add(ping(writer));
        for (int i = 0; i < readers.size(); i++) {
          AtomicLong lag = readerLagMillis.get(i);
          pings.add(replayLagMillis(readers.get(i)).onSuccess(lag::set));
        }
        return Future.all(pings).map(ignored -> new JsonObject().put("readers", readers.size()));
      }
    };
  }

  private static Future<Void> ping(Pool pool) {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  /**
   * How far a replica's replay is behind, in ms: 0 when it has replayed all it received (an idle
   * primary writes nothing, and an idle replica must not look late), and 0 on a server that is no
   * replica (a reader URL that points at the primary).
   */
  private static Future<Long> replayLagMillis(Pool pool) {
    return pool.query(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                + " ELSE COALESCE((EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
                + " * 1000)::bigint, 0) END")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
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
    for (int i = 0; i < readers.size(); i++) {
      Gauge.builder("plinth.db.replica.lag", readerLagMillis.get(i), lag -> lag.get() / 1000.0)
          .description("How far the reader's replay is behind the primary, at the last check")
          .baseUnit("seconds")
          .tag("pool_name", READER_NAME + i)
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
    closing.add(writer.close());
    readers.forEach(reader -> closing.add(reader.close()));
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
