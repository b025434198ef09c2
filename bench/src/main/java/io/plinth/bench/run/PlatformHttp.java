package io.plinth.bench.run;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The bench's HTTP client for the platform: HTTP/1.1, one request at a time per caller, timed. */
public final class PlatformHttp {

  /** Every request's deadline. */
  public static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** An answer, with the time from sending to the whole body read; status -1: no answer. */
  public record Response(int status, String body, String location, long nanos) {}

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  public HttpClient client() {
    return client;
  }

  /** Sends and times a request; an I/O failure is status -1 with the exception as body. */
  public Response send(HttpRequest request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Location").orElse(null),
          System.nanoTime() - started);
    } catch (IOException e) {
      return new Response(-1, e.toString(), null, System.nanoTime() - started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Sends with {@link #TIMEOUT}; returns the body, fails unless the answer has {@code status}. */
  public String expect(int status, HttpRequest.Builder request) {
    HttpRequest built = request.timeout(TIMEOUT).build();
    Response response = send(built);
    if (response.status() != status) {
      throw new IllegalStateException(
          built.uri() + " answered " + response.status() + ": " + response.body());
    }
    return response.body();
  }
}
