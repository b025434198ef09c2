package io.plinth.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plinth.client.PlinthException;
import io.plinth.client.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The HTTP exchange both SDK clients share (the data plane's {@link io.plinth.client.PlinthClient}
 * and the control plane's {@code PlinthAdmin}): JSON in and out, a timeout on every attempt, 429
 * and 503 retried per the {@link RetryPolicy}, error answers turned into {@link PlinthException}.
 * Internal: not part of the SDK's API, it may change without notice.
 */
public final class HttpTransport {

  /** An answer that is not an error: its status, its JSON (missing when empty) and headers. */
  public record Response(int status, JsonNode body, HttpHeaders headers) {}

  private final URI baseUrl;
  private final Duration timeout;
  private final RetryPolicy retryPolicy;
  private final HttpClient http;
  private final ObjectMapper json;

  /**
   * @param http the application's client, or null for one with {@code timeout} to connect
   */
  public HttpTransport(
      URI baseUrl, Duration timeout, RetryPolicy retryPolicy, HttpClient http, ObjectMapper json) {
    String url = Objects.requireNonNull(baseUrl, "baseUrl").toString();
    this.baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.http = http != null ? http : HttpClient.newBuilder().connectTimeout(timeout).build();
    this.json = json;
  }

  public URI baseUrl() {
    return baseUrl;
  }

  public HttpClient httpClient() {
    return http;
  }

  public ObjectMapper json() {
    return json;
  }

  /**
   * Sends a request, retrying per the policy ({@code Idempotency-Key} among {@code headers} makes a
   * POST safe to repeat); an error status becomes a {@link PlinthException}.
   */
  public Response send(
      String method, String pathAndQuery, JsonNode body, Map<String, String> headers) {
    boolean idempotencyKey = headers.containsKey("Idempotency-Key");
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = exchange(method, pathAndQuery, body, headers);
      int status = response.statusCode();
      if (status < 400 || status == 304) {
        return new Response(status, readBody(response.body()), response.headers());
      }
      if (!retryPolicy.shouldRetry(method, idempotencyKey, status, attempt)) {
        throw PlinthException.fromResponse(
            status, response.body(), response.headers().firstValue("X-Request-Id"), json);
      }
      sleep(retryPolicy.delay(attempt, response.headers().firstValue("Retry-After")));
    }
  }

  private HttpResponse<String> exchange(
      String method, String pathAndQuery, JsonNode body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(timeout)
            .header("Accept", "application/json");
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(write(body)));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the platform", e);
    }
  }

  private String write(JsonNode body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JsonNode readBody(String body) {
    try {
      return body == null || body.isEmpty() ? json.missingNode() : json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the platform's answer is not JSON", e);
    }
  }

  /** Waits, as between two attempts or two polls. */
  public static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }

  /**
   * Percent-encodes a path segment or a query name or value (a space as {@code %20}, not {@code
   * +}).
   */
  public static String percentEncode(String text) {
    return encode(text);
  }

  /**
   * {@code ?name=value&...} of the parameters that are not null, in their order, percent-encoded;
   * empty when there are none.
   */
  public static String query(Map<String, ?> parameters) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    parameters.forEach(
        (name, value) -> {
          if (value != null) {
            query.add(encode(name) + "=" + encode(String.valueOf(value)));
          }
        });
    return query.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
