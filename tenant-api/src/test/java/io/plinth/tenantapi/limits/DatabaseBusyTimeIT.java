package io.plinth.tenantapi.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.db.DatabaseTime;
import io.plinth.platform.db.Databases;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The busy-time allowance charges what a tenant's requests cost the database, measured on a real
 * PostgreSQL through the SQL client's tracer: a request whose statement sleeps in the database puts
 * its tenant in debt, one that waits as long without the database does not, and another tenant is
 * never held up.
 */
class DatabaseBusyTimeIT {

  private static final UUID LIMITED = UUID.randomUUID();
  private static final UUID OTHER = UUID.randomUUID();

  private Vertx vertx;
  private Pool pool;
  private HttpServer server;
  private final AtomicInteger inDatabase = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder().withTracer(DatabaseTime.factory()).build();
    TestPostgres.Server postgres = TestPostgres.server();
    pool =
        PgBuilder.pool()
            .connectingTo(
                new PgConnectOptions()
                    .setHost(postgres.host())
                    .setPort(postgres.port())
                    .setDatabase(postgres.database())
                    .setUser(postgres.user())
                    .setPassword(postgres.password()))
            .using(vertx)
            .build();
    Router router = Router.router(vertx);
    router
        .route()
        .handler(BulkheadFixture.callerFromHeader(tenant -> tenant.equals(LIMITED) ? 100 : 0))
        .handler(new TenantBulkhead(4, 8, BusyCeiling.none()))
        .handler(
            ctx -> {
              double seconds = Double.parseDouble(ctx.request().getParam("seconds"));
              if ("database".equals(ctx.request().getParam("in"))) {
                mostAtOnce.accumulateAndGet(inDatabase.incrementAndGet(), Math::max);
                // Two statements, one after the other, as a request's work would be.
                pool.preparedQuery("SELECT pg_sleep($1)")
                    .execute(Tuple.of(seconds / 2))
                    .compose(
                        ignored ->
                            pool.preparedQuery("SELECT pg_sleep($1)")
                                .execute(Tuple.of(seconds / 2)))
                    .onComplete(ignored -> inDatabase.decrementAndGet())
                    .onSuccess(ignored -> ctx.response().end("slept in the database"))
                    .onFailure(ctx::fail);
              } else {
                ctx.vertx() // a timer needs at least 1 ms
                    .setTimer(
                        Math.max(1, (long) (seconds * 1000)),
                        t -> ctx.response().end("waited outside"));
              }
            });
    server = BulkheadFixture.listen(vertx, router);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private PlinthClient client(UUID tenant) {
    return new PlinthClient("http://127.0.0.1:" + server.actualPort())
        .withHeader("X-Tenant", tenant.toString());
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Test
  void databaseTimeOverTheAllowanceIsPaidBeforeTheNextRequestAndOthersDoNotWait() throws Exception {
    // 100 ms of database time a second; the request keeps the database busy for 300 ms: the
    // tenant owes 200 ms, paid in two seconds.
    PlinthClient limited = client(LIMITED);
    assertThat(limited.get("/?in=database&seconds=0.3").status()).isEqualTo(200);

    long started = System.nanoTime();
    CompletableFuture<Long> next =
        CompletableFuture.supplyAsync(
            () -> {
              assertThat(limited.get("/?in=outside&seconds=0").status()).isEqualTo(200);
              return millisSince(started);
            });
    assertThat(client(OTHER).get("/?in=database&seconds=0.05").status()).isEqualTo(200);
    long otherMillis = millisSince(started);

    assertThat(next.get(10, TimeUnit.SECONDS)).as("waited for its debt").isGreaterThan(1_700);
    assertThat(otherMillis).as("another tenant does not wait").isLessThan(1_000);
  }

  @Test
  void aWholeAllowanceStartsOnlyAsManyCostlyRequestsAsItCanPayFor() throws Exception {
    // 100 ms of database time a second, 4 permits; each request costs the database about 60 ms.
    PlinthClient limited = client(LIMITED);
    assertThat(limited.get("/?in=database&seconds=0.06").status()).isEqualTo(200);
    Thread.sleep(1_100); // the allowance is whole again

    // Charged only afterwards, all four would start at once and take 240 ms of the database in
    // one go; held up front, the first two hold about 120 ms of the 100 and the others wait.
    assertThat(mostAtOnceOfFourCostlyRequests()).isEqualTo(2);
  }

  @Test
  void anIdleTenantsNextBurstIsStillHeldToWhatItsRequestsCost() throws Exception {
    PlinthClient limited = client(LIMITED);
    assertThat(limited.get("/?in=database&seconds=0.06").status()).isEqualTo(200);
    Thread.sleep(1_100);
    // A request without database time ends on a whole allowance with nothing else running: the
    // tenant is idle, but what its requests cost is not forgotten.
    assertThat(limited.get("/?in=outside&seconds=0").status()).isEqualTo(200);

    assertThat(mostAtOnceOfFourCostlyRequests()).as("as many as it can pay for").isEqualTo(2);
  }

  /** Sends four requests of the limited tenant at once, each ~60 ms in the database. */
  private int mostAtOnceOfFourCostlyRequests() throws Exception {
    PlinthClient limited = client(LIMITED);
    mostAtOnce.set(0);
    ExecutorService clients = Executors.newFixedThreadPool(4); // all four in flight at once
    try {
      List<CompletableFuture<Integer>> burst = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        burst.add(
            CompletableFuture.supplyAsync(
                () -> limited.get("/?in=database&seconds=0.06").status(), clients));
      }
      for (CompletableFuture<Integer> request : burst) {
        assertThat(request.get(20, TimeUnit.SECONDS)).isEqualTo(200);
      }
    } finally {
      clients.shutdownNow();
    }
    return mostAtOnce.get();
  }

  @Test
  void theNodesPoolsRunEachStatementWithoutParallelWorkers() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    PlinthConfig config =
        PlinthConfig.load(
            new ConfigSource(
                database.settings(), new Properties(), Map.of(), Map.of("plinth.http.port", "0")));
    Databases databases = Databases.create(vertx, config.database());
    String workers =
        databases
            .writer()
            .query("SHOW max_parallel_workers_per_gather")
            .execute()
            .map(rows -> rows.iterator().next().getString(0))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(workers).as("one request's scan stays on one database core").isEqualTo("0");
  }

  @Test
  void aRequestsOwnContextIsMeteredAndASharedOneNever() throws Exception {
    ContextInternal shared = (ContextInternal) vertx.getOrCreateContext();
    ContextInternal own = shared.duplicate();
    DatabaseTime.Meter sharedMeter = DatabaseTime.meter(shared);
    DatabaseTime.Meter ownMeter = DatabaseTime.meter(own);
    sleepInTheDatabase(shared);
    sleepInTheDatabase(own);
    assertThat(ownMeter.nanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(sharedMeter.nanos()).as("an event loop's own context mixes everyone's").isZero();
  }

  private void sleepInTheDatabase(ContextInternal context) throws Exception {
    CompletableFuture<Void> slept = new CompletableFuture<>();
    context.runOnContext(
        ignored ->
            pool.query("SELECT pg_sleep(0.1)")
                .execute()
                .onComplete(
                    done -> {
                      if (done.succeeded()) {
                        slept.complete(null);
                      } else {
                        slept.completeExceptionally(done.cause());
                      }
                    }));
    slept.get(10, TimeUnit.SECONDS);
  }

  @Test
  void timeSpentOutsideTheDatabaseIsNotCharged() {
    PlinthClient limited = client(LIMITED);
    assertThat(limited.get("/?in=outside&seconds=0.3").status()).isEqualTo(200);
    long started = System.nanoTime();
    assertThat(limited.get("/?in=outside&seconds=0").status()).isEqualTo(200);
    assertThat(millisSince(started)).as("no debt: it starts at once").isLessThan(250);
  }
}
