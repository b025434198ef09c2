package io.plinth.tenantapi.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bulkhead in front of a handler that holds every request until the test lets it answer: two
 * requests of a tenant run, one waits, the next is refused, and another tenant is not held up.
 */
class TenantBulkheadTest {

  private static final UUID TENANT_A = UUID.randomUUID();
  private static final UUID TENANT_B = UUID.randomUUID();

  private Vertx vertx;
  private HttpServer server;
  private final List<RoutingContext> held = new CopyOnWriteArrayList<>();

  /** Released once the bulkhead has taken a request in: started, queued or refused. */
  private final Semaphore passedTheBulkhead = new Semaphore(0);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .route()
        .handler(BulkheadFixture.callerFromHeader(tenant -> 0))
        .handler(
            ctx -> {
              ctx.next(); // the bulkhead decides at once, on this thread
              passedTheBulkhead.release();
            })
        .handler(new TenantBulkhead(2, 1, BusyCeiling.none()))
        .handler(held::add);
    server = BulkheadFixture.listen(vertx, router);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<PlinthClient.Response> send(UUID tenant) {
    PlinthClient client =
        new PlinthClient("http://127.0.0.1:" + server.actualPort())
            .withHeader("X-Tenant", tenant.toString());
    return CompletableFuture.supplyAsync(() -> client.get("/"));
  }

  private void awaitHeld(int n) {
    Eventually.poll(Duration.ofSeconds(5), held::size, size -> size >= n);
    assertThat(held).hasSize(n);
  }

  private void answer(int index) {
    RoutingContext ctx = held.get(index);
    ctx.vertx().runOnContext(ignored -> ctx.response().end("done"));
  }

  @Test
  void aTenantQueuesBehindItselfAndOthersGoOn() throws Exception {
    CompletableFuture<PlinthClient.Response> first = send(TENANT_A);
    CompletableFuture<PlinthClient.Response> second = send(TENANT_A);
    awaitHeld(2);
    passedTheBulkhead.drainPermits();
    CompletableFuture<PlinthClient.Response> waiting = send(TENANT_A);
    assertThat(passedTheBulkhead.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    assertThat(held).as("the third request waits for a permit").hasSize(2);

    PlinthClient.Response refused = send(TENANT_A).get(10, TimeUnit.SECONDS);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().getString("code")).isEqualTo("tenant_busy");
    assertThat(refused.header("Retry-After")).isPresent();

    CompletableFuture<PlinthClient.Response> other = send(TENANT_B);
    awaitHeld(3); // another tenant runs at once
    answer(2);
    assertThat(other.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

    answer(0); // a permit comes free (whichever of the two held it): the waiting request runs
    CompletableFuture.anyOf(first, second).get(10, TimeUnit.SECONDS);
    awaitHeld(4);
    answer(1);
    answer(3);
    for (CompletableFuture<PlinthClient.Response> sent : List.of(first, second, waiting)) {
      assertThat(sent.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }
}
