package io.plinth.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A typed HTTP client for tests, speaking HTTP/1.1 to one node as a load balancer would. Methods
 * are named after what they ask; each returns the whole response so tests can check status, headers
 * and body.
 */
public final class PlinthClient {

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public PlinthClient(String baseUrl) {
    this.baseUrl = baseUrl;
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
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
