package io.plinth.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A typed HTTP client for tests, speaking HTTP/1.1 to one node as a load balancer would. Methods
 * are named after what they ask; each returns the whole response so tests can check status, headers
 * and body.
 */
public final class PlinthClient {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String baseUrl;
  private final Map<String, String> headers;

  public PlinthClient(String baseUrl) {
    this(baseUrl, Map.of());
  }

  private PlinthClient(String baseUrl, Map<String, String> headers) {
    this.baseUrl = baseUrl;
    this.headers = Map.copyOf(headers);
  }

  /** The same client, sending one more header on every request. */
  public PlinthClient withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new PlinthClient(baseUrl, more);
  }

  /** The same client, authenticated with {@code Authorization: Bearer <credential>}. */
  public PlinthClient withBearer(String credential) {
    return withHeader("Authorization", "Bearer " + credential);
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A response, its body read as text. */
  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public boolean isProblem() {
      return header("Content-Type")
          .filter(t -> t.startsWith("application/problem+json"))
          .isPresent();
    }
  }

  public Response live() {
    return get("/health/live");
  }

  public Response ready() {
    return get("/health/ready");
  }

  public Response metrics() {
    return get("/metrics");
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  public Response postJson(String path, JsonObject body) {
    return post(path, "application/json", body.encode());
  }

  /** A POST with any body and content type, for requests a well-behaved client would not send. */
  public Response post(String path, String contentType, String body) {
    return send("POST", path, contentType, body);
  }

  /** Any method with any body and content type (none when null). */
  public Response send(String method, String path, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  public Response patch(String path, JsonObject body) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
  }

  /** Sends without waiting, for requests that may never be answered (crash tests). */
  public CompletableFuture<Response> postJsonAsync(String path, JsonObject body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    headers.forEach(request::header);
    return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
  }

  /**
   * Opens a server-sent events stream. A non-200 answer is returned as a stream with that status,
   * no events and its body as {@link EventStream#problem()}.
   */
  public EventStream events(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/event-stream");
    headers.forEach(request::header);
    HttpResponse<java.io.InputStream> response =
        exchange(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try {
      return new EventStream(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(HttpRequest.Builder request) {
    headers.forEach(request::header);
    HttpResponse<String> response =
        exchange(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers(), response.body());
  }

  private static <T> HttpResponse<T> exchange(
      HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return HTTP.send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
