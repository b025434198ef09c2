package io.plinth.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent events client for tests: parses the stream (as a browser's EventSource does) on a
 * background thread into a queue of events the test takes with a timeout.
 */
public final class EventStream implements AutoCloseable {

  /** One event: its id, its type, and its data. */
  public record Event(String id, String type, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final int status;
  private final HttpHeaders headers;
  private final InputStream body;
  private final String problem;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile boolean ended;

  EventStream(int status, HttpHeaders headers, InputStream body) throws IOException {
    this.status = status;
    this.headers = headers;
    this.body = body;
    if (status != 200) {
      // Not a stream: the body is an error document, read whole.
      try (body) {
        problem = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      }
      ended = true;
      return;
    }
    problem = null;
    Thread reader = new Thread(this::read, "event-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The error body when the status is not 200. */
  public JsonObject problem() {
    return new JsonObject(problem);
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** The next event, or null when none came within {@code timeout}. */
  public Event next(Duration timeout) {
    try {
      return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next {@code n} events, failing when they do not all come within {@code timeout}. */
  public List<Event> take(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> taken = new ArrayList<>();
    while (taken.size() < n) {
      Event event = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (event == null) {
        throw new AssertionError(
            "expected " + n + " events within " + timeout + ", got " + taken.size());
      }
      taken.add(event);
    }
    return taken;
  }

  /** Whether the server ended the stream. */
  public boolean ended() {
    return ended;
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String type = "message";
      StringBuilder data = null;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(id, type, data.toString()));
          }
          type = "message";
          data = null;
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data = (data == null ? new StringBuilder() : data.append('\n'));
          data.append(line.substring(5).stripLeading());
        } // comments (":") and retry are ignored
      }
    } catch (IOException e) {
      // closed by the test or the server
    } finally {
      ended = true;
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
