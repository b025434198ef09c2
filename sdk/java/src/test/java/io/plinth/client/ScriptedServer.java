package io.plinth.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on a free local port that answers from a script (then 200 {@code {}}) and
 * notes every request, for unit tests of the SDK clients' own logic: retries, paging, polling.
 */
public final class ScriptedServer implements AutoCloseable {

  /** A scripted answer: status, Retry-After (or null), body, and more headers. */
  public record Answer(int status, String retryAfter, String body, Map<String, String> headers) {
    public Answer(int status, String retryAfter, String body) {
      this(status, retryAfter, body, Map.of());
    }
  }

  /** A request as it arrived: method, path with query, headers, body, and when (nanoTime). */
  public record Request(
      String method,
      String target,
      Map<String, List<String>> headers,
      String body,
      long arrivedAtNanos) {
    public String header(String name) {
      List<String> values =
          headers.get(name.substring(0, 1).toUpperCase() + name.substring(1).toLowerCase());
      return values == null ? null : values.get(0);
    }
  }

  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final String defaultBody;

  /** Answers 200 {@code {}} once the script is done. */
  public ScriptedServer() {
    this("{}");
  }

  /** Answers 200 with {@code defaultBody} once the script is done. */
  public ScriptedServer(String defaultBody) {
    this.defaultBody = defaultBody;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::answer);
    server.start();
  }

  public ScriptedServer then(Answer answer) {
    script.add(answer);
    return this;
  }

  public ScriptedServer then(int status, String body) {
    return then(new Answer(status, null, body));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void answer(HttpExchange exchange) throws IOException {
    long arrived = System.nanoTime();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    URI uri = exchange.getRequestURI();
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
            Map.copyOf(exchange.getRequestHeaders()),
            body,
            arrived));
    Answer answer = script.isEmpty() ? new Answer(200, null, defaultBody) : script.poll();
    if (answer.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
    }
    answer.headers().forEach(exchange.getResponseHeaders()::add);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
