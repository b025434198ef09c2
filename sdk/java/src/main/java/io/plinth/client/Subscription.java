package io.plinth.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live subscription to a collection's changes ({@code GET /v1/collections/{c}/changes}, server-
 * sent events), read on a thread of its own that calls {@code onChange} for each change in order.
 * When the connection drops, fails, or stays silent past the read timeout, it connects again after
 * a backoff with jitter, sending {@code Last-Event-ID} of the last change delivered: the subscriber
 * sees no gap, and an event at or before that one is never delivered twice. It ends by {@link
 * #close()}, or by itself when the platform refuses it (see {@link SubscribeOptions#onError}).
 */
public final class Subscription implements AutoCloseable {

  /** The platform's event ids: the writing transaction's id, then the change's sequence number. */
  private static final Pattern EVENT_ID = Pattern.compile("(\\d{1,18})-(\\d{1,18})");

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Gives up silent connections of every subscription; its one thread only closes streams. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          work -> {
            Thread thread = new Thread(work, "plinth-changes-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  private final PlinthClient client;
  private final String changesPath;
  private final Consumer<Change> onChange;
  private final SubscribeOptions options;
  private final Thread reader;
  private final CountDownLatch ended = new CountDownLatch(1);

  private volatile String lastEventId;
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile Throwable failure;
  private volatile InputStream body;
  private volatile long lastActivity;

  private Subscription(
      PlinthClient client,
      String changesPath,
      Consumer<Change> onChange,
      SubscribeOptions options) {
    this.client = client;
    this.changesPath = changesPath;
    this.onChange = onChange;
    this.options = options;
    this.lastEventId = options.lastEventId();
    this.reader = new Thread(this::run, "plinth-changes " + changesPath);
    reader.setDaemon(true);
  }

  static Subscription start(
      PlinthClient client,
      String changesPath,
      Consumer<Change> onChange,
      SubscribeOptions options) {
    Subscription subscription = new Subscription(client, changesPath, onChange, options);
    subscription.reader.start();
    return subscription;
  }

  /** The id of the last change delivered (or the one it started after); null before any. */
  public String lastEventId() {
    return lastEventId;
  }

  /** Whether a stream is open now (false while it reconnects, and once ended). */
  public boolean isConnected() {
    return connected;
  }

  /** Whether it has ended: closed, or refused by the platform. */
  public boolean isClosed() {
    return ended.getCount() == 0;
  }

  /** Why it ended by itself, if it did (what {@link SubscribeOptions#onError} was given). */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Waits up to {@code timeout} for it to end; answers whether it has. */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Stops it: the stream is closed and no change is delivered after this returns (it waits up to 5
   * s for an {@code onChange} call under way to finish; called from {@code onChange}, it does not
   * wait).
   */
  @Override
  public void close() {
    closed = true;
    closeQuietly(body);
    if (Thread.currentThread() == reader) {
      return;
    }
    reader.interrupt();
    try {
      ended.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    RetryPolicy backoff = options.reconnect();
    int failures = 0;
    try {
      while (!closed) {
        Optional<String> retryAfter = Optional.empty();
        try {
          HttpResponse<InputStream> response = connect();
          int status = response.statusCode();
          if (status == 200) {
            if (stream(response.body())) {
              failures = 0;
            }
          } else if (status == 408 || status == 429 || status >= 500) {
            retryAfter = response.headers().firstValue("Retry-After");
            closeQuietly(response.body());
          } else {
            end(refusal(response));
            return;
          }
        } catch (IOException | UncheckedIOException dropped) {
          // The network, a proxy or the node went away: connect again, after lastEventId.
        } catch (InterruptedException interrupted) {
          return; // close()
        } catch (RuntimeException | Error refused) {
          // onChange threw, or the user's session could not be refreshed (PlinthException).
          end(refused instanceof SubscriberFailed wrapped ? wrapped.getCause() : refused);
          return;
        } finally {
          connected = false;
        }
        if (closed) {
          return;
        }
        failures++;
        if (failures >= backoff.maxAttempts()) {
          end(
              new PlinthException(
                  0,
                  "changes_unreachable",
                  "no change stream after " + failures + " attempts",
                  null,
                  java.util.List.of()));
          return;
        }
        Thread.sleep(backoff.delay(failures, retryAfter).toMillis());
      }
    } catch (InterruptedException interrupted) {
      // close()
    } finally {
      connected = false;
      ended.countDown();
    }
  }

  private HttpResponse<InputStream> connect() throws IOException, InterruptedException {
    HttpRequest.Builder request =
        client
            .request(PlinthClient.Call.of("GET", changesPath), true)
            .setHeader("Accept", "text/event-stream")
            .setHeader("Cache-Control", "no-cache")
            .GET();
    String resumeAfter = lastEventId;
    if (resumeAfter != null) {
      request.setHeader("Last-Event-ID", resumeAfter);
    }
    return client.received(
        client.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private PlinthException refusal(HttpResponse<InputStream> response) throws IOException {
    String problem;
    try (InputStream in = response.body()) {
      problem = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
    return PlinthException.fromResponse(
        response.statusCode(), problem, response.headers().firstValue("X-Request-Id"), client.json);
  }

  /**
   * Reads one stream's events (the SSE format: {@code id}, {@code event} and {@code data} fields,
   * blank lines ending events, {@code :} comments such as heartbeats) until it ends, and answers
   * whether it got further than its opening block, so a stream that dies at once keeps backing off.
   */
  private boolean stream(InputStream in) throws IOException {
    body = in;
    if (closed) {
      closeQuietly(in);
      return false;
    }
    connected = true;
    lastActivity = System.nanoTime();
    long timeoutNanos = options.readTimeout().toNanos();
    long checkEvery = Math.max(50, options.readTimeout().toMillis() / 5);
    ScheduledFuture<?> watchdog =
        WATCHDOG.scheduleAtFixedRate(
            () -> {
              if (System.nanoTime() - lastActivity > timeoutNanos) {
                closeQuietly(in); // the reader's readLine fails, and it reconnects
              }
            },
            checkEvery,
            checkEvery,
            TimeUnit.MILLISECONDS);
    int blocks = 0;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = null;
      for (String line; (line = lines.readLine()) != null; ) {
        lastActivity = System.nanoTime();
        if (closed) {
          break;
        }
        if (line.isEmpty()) {
          blocks++;
          if (data != null) {
            deliver(id, type, data.toString());
          }
          type = null;
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          continue; // a comment: the heartbeat
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value.indexOf('\0') >= 0 ? id : value;
          case "event" -> type = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {} // retry: the backoff is the client's own
        }
      }
    } finally {
      watchdog.cancel(false);
      body = null;
    }
    return blocks > 1;
  }

  private void deliver(String id, String type, String data) {
    if (id != null && !isAfter(id, lastEventId)) {
      return; // replayed: delivered already
    }
    JsonNode json;
    try {
      json = client.json.readTree(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a change event whose data is not JSON", e);
    }
    try {
      onChange.accept(Change.of(id, type, json));
    } catch (RuntimeException | Error e) {
      throw new SubscriberFailed(e);
    }
    if (id != null) {
      lastEventId = id;
    }
    lastActivity = System.nanoTime();
  }

  /**
   * Whether event {@code id} comes after {@code last}: by the platform's order when both are its.
   */
  static boolean isAfter(String id, String last) {
    if (last == null) {
      return true;
    }
    Matcher a = EVENT_ID.matcher(id);
    Matcher b = EVENT_ID.matcher(last);
    if (a.matches() && b.matches()) {
      int byXid = Long.compare(Long.parseLong(a.group(1)), Long.parseLong(b.group(1)));
      return byXid != 0 ? byXid > 0 : Long.parseLong(a.group(2)) > Long.parseLong(b.group(2));
    }
    return !id.equals(last);
  }

  private void end(Throwable why) {
    failure = why;
    closed = true;
    try {
      options.onError().accept(why);
    } catch (RuntimeException ignored) {
      // the subscription is over either way
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is all that is asked
    }
  }

  /** What {@code onChange} threw, carried out of the read loop. */
  private static final class SubscriberFailed extends RuntimeException {
    SubscriberFailed(Throwable cause) {
      super(cause);
    }
  }
}
