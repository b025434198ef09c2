package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The subscription's reading of server-sent events, reconnection, read timeout and ending, against
 * a real HTTP server that streams what each test scripts for each connection it gets (in the
 * platform's event format: {@code id: <xid>-<seq>}, {@code event: <op>}, JSON {@code data}, {@code
 * : keep-alive} heartbeats).
 */
class SubscriptionTest {

  /** What the server does with one connection; {@code lastEventId} is the request's header. */
  private interface Script {
    void play(HttpExchange exchange, String lastEventId) throws Exception;
  }

  private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final HttpServer server = start();
  private final PlinthClient client =
      PlinthClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
          .apiKey("plinth_pk_test")
          .build();
  private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  private final SubscribeOptions fast =
      SubscribeOptions.defaults()
          .onError(errors::add)
          .reconnect(
              new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(20), Duration.ofMillis(100)));

  private HttpServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.setExecutor(handlers);
      http.createContext(
          "/v1/collections/notes/changes",
          exchange -> {
            String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            lastEventIds.add(String.valueOf(lastEventId));
            try {
              Script script = scripts.poll(10, TimeUnit.SECONDS);
              if (script == null) {
                script = SubscriptionTest::silent;
              }
              script.play(exchange, lastEventId);
            } catch (Exception e) {
              // the client went away
            } finally {
              exchange.close();
            }
          });
      http.start();
      return http;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private static OutputStream open(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    write(out, "retry: 2000\n: connected\n\n");
    return out;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String event(long xid, String op, String recordId) {
    return "id: "
        + xid
        + "-1\nevent: "
        + op
        + "\ndata: {\"op\":\""
        + op
        + "\",\"collection\":\"notes\",\"id\":\""
        + recordId
        + "\",\"version\":1,\"record\":{\"id\":\""
        + recordId
        + "\",\"version\":1}}\n\n";
  }

  /** Holds the connection open and says nothing, until the client goes away. */
  private static void silent(HttpExchange exchange, String lastEventId) throws Exception {
    open(exchange);
    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
  }

  private Change next() throws InterruptedException {
    Change change = changes.poll(10, TimeUnit.SECONDS);
    assertThat(change).as("a change within 10 s").isNotNull();
    return change;
  }

  @Test
  void aDroppedStreamResumesAfterTheLastDeliveredEventAndAReplayIsNotDeliveredTwice()
      throws Exception {
    scripts.add(
        (exchange, lastEventId) -> {
          OutputStream out = open(exchange);
          write(out, event(10, "insert", "a") + event(11, "update", "a"));
          // and the connection drops
        });
    scripts.add(
        (exchange, lastEventId) -> {
          OutputStream out = open(exchange);
          // A server that replays from before the client's Last-Event-ID: 11 again, then 12.
          write(out, event(11, "update", "a") + event(12, "delete", "a"));
          new CountDownLatch(1).await(30, TimeUnit.SECONDS);
        });
    try (Subscription subscription = client.records("notes").subscribe(changes::add, fast)) {
      assertThat(List.of(next(), next(), next()))
          .extracting(Change::eventId, Change::type)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("10-1", "insert"),
              org.assertj.core.groups.Tuple.tuple("11-1", "update"),
              org.assertj.core.groups.Tuple.tuple("12-1", "delete"));
      assertThat(changes.poll(300, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
      assertThat(subscription.lastEventId()).isEqualTo("12-1");
      assertThat(lastEventIds).startsWith("null", "11-1");
    }
    assertThat(errors).isEmpty();
  }

  @Test
  void heartbeatsKeepAConnectionAndASilentOneIsMadeAgain() throws Exception {
    scripts.add(
        (exchange, lastEventId) -> {
          OutputStream out = open(exchange);
          write(out, event(20, "insert", "b"));
          for (int beat = 0; beat < 10; beat++) { // 2 s of heartbeats, 4 per read timeout
            Thread.sleep(200);
            write(out, ": keep-alive\n\n");
          }
          // then silence, with the connection still open
          new CountDownLatch(1).await(30, TimeUnit.SECONDS);
        });
    scripts.add(
        (exchange, lastEventId) -> {
          OutputStream out = open(exchange);
          write(out, event(21, "insert", "c"));
          new CountDownLatch(1).await(30, TimeUnit.SECONDS);
        });
    long start = System.nanoTime();
    try (Subscription subscription =
        // A call timeout shorter than the stream: it bounds the wait for the answer's head only.
        PlinthClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .apiKey("plinth_pk_test")
            .timeout(Duration.ofMillis(300))
            .build()
            .records("notes")
            .subscribe(changes::add, fast.readTimeout(Duration.ofMillis(800)))) {
      assertThat(next().recordId()).isEqualTo("b");
      assertThat(next().recordId()).isEqualTo("c");
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      // Not given up while heartbeats came (2 s), given up within the timeout once they stopped.
      assertThat(elapsedMillis).isBetween(2_000L, 2_000L + 800L + 2_000L);
      assertThat(lastEventIds).containsExactly("null", "20-1");
      assertThat(subscription.isConnected()).isTrue();
    }
  }

  @Test
  void prunedHistoryEndsTheSubscriptionWithTheServersError() throws Exception {
    scripts.add(
        (exchange, lastEventId) -> {
          byte[] problem =
              ("{\"type\":\"about:blank\",\"title\":\"Gone\",\"status\":410,"
                      + "\"code\":\"change_history_expired\",\"detail\":\"read again\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
          exchange.sendResponseHeaders(410, problem.length);
          exchange.getResponseBody().write(problem);
        });
    Subscription subscription =
        client.records("notes").subscribe(changes::add, fast.lastEventId("5-1"));
    Throwable error = errors.poll(10, TimeUnit.SECONDS);
    assertThat(error)
        .isInstanceOfSatisfying(
            PlinthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(410);
              assertThat(e.code()).isEqualTo("change_history_expired");
            });
    assertThat(subscription.awaitClosed(Duration.ofSeconds(5))).isTrue();
    assertThat(subscription.failure()).contains(error);
    assertThat(lastEventIds).containsExactly("5-1");
  }

  @Test
  void anUnavailableServerIsRetriedAndCloseStopsPromptly() throws Exception {
    for (int i = 0; i < 2; i++) {
      scripts.add(
          (exchange, lastEventId) -> {
            exchange.sendResponseHeaders(503, -1);
          });
    }
    scripts.add(
        (exchange, lastEventId) -> {
          OutputStream out = open(exchange);
          write(out, event(30, "insert", "d"));
          new CountDownLatch(1).await(30, TimeUnit.SECONDS);
        });
    Subscription subscription = client.records("notes").subscribe(changes::add, fast);
    assertThat(next().recordId()).isEqualTo("d");
    long start = System.nanoTime();
    subscription.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(subscription.isClosed()).isTrue();
    assertThat(subscription.isConnected()).isFalse();
    assertThat(lastEventIds).hasSize(3);
    assertThat(errors).isEmpty();
  }

  @Test
  void whatOnChangeThrowsEndsTheSubscriptionAndTheEventCountsAsNotDelivered() throws Exception {
    scripts.add(
        (exchange, lastEventId) -> {
          OutputStream out = open(exchange);
          write(out, event(40, "insert", "e") + event(41, "insert", "f"));
          new CountDownLatch(1).await(30, TimeUnit.SECONDS);
        });
    Subscription subscription =
        client
            .records("notes")
            .subscribe(
                change -> {
                  if (change.recordId().equals("f")) {
                    throw new IllegalStateException("the app failed");
                  }
                  changes.add(change);
                },
                fast);
    assertThat(next().recordId()).isEqualTo("e");
    assertThat(errors.poll(10, TimeUnit.SECONDS)).hasMessage("the app failed");
    assertThat(subscription.awaitClosed(Duration.ofSeconds(5))).isTrue();
    assertThat(subscription.lastEventId()).isEqualTo("40-1");
  }

  @Test
  void eventIdsCompareInThePlatformsOrder() {
    assertThat(Subscription.isAfter("10-2", "10-1")).isTrue();
    assertThat(Subscription.isAfter("9-5", "10-1")).isFalse();
    assertThat(Subscription.isAfter("100-0", "99-7")).isTrue(); // numbers, not text
    assertThat(Subscription.isAfter("10-1", "10-1")).isFalse();
    assertThat(Subscription.isAfter("10-1", null)).isTrue();
  }
}
