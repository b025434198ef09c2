package io.plinth.provisioning.data;

import io.plinth.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sends an operator's data request to a data-plane node and brings its answer back: which headers
 * go (the body's type and the preconditions, never the operator's credential) and which come back
 * (status, body and {@link #PASSED_BACK}).
 */
public final class DataForwarder {

  /** Request headers that go to the data plane as the operator sent them. */
  static final List<String> FORWARDED = List.of("Content-Type", "If-Match", "If-None-Match");

  /**
   * Response headers that come back to the operator: the body's type and version, the rate limit
   * the tenant ran into and when to try again, and where a created record is ({@code Location},
   * which {@link DataPath#location} turns into the control plane's path).
   */
  static final List<String> PASSED_BACK =
      List.of("Content-Type", "ETag", "Retry-After", "RateLimit", "RateLimit-Policy", "Location");

  /** The data plane's answer, as much of it as the operator gets: {@link #PASSED_BACK} only. */
  public record Answer(int status, MultiMap headers, Buffer body) {}

  private final WebClient web;
  private final Optional<URI> dataPlane;
  private final Duration timeout;

  public DataForwarder(WebClient web, Optional<URI> dataPlane, Duration timeout) {
    this.web = web;
    this.dataPlane = dataPlane;
    this.timeout = timeout;
  }

  /**
   * @throws ProblemException 503 {@code data_plane_unknown} (as a failed future) when no data-plane
   *     URL is configured; 502 {@code data_plane_unavailable} when it does not answer
   */
  public Future<Answer> forward(
      HttpMethod method,
      String target,
      MultiMap headers,
      String requestId,
      String key,
      Buffer body) {
    if (dataPlane.isEmpty()) {
      return Future.failedFuture(
          new ProblemException(
              503,
              "data_plane_unknown",
              "the control plane does not know a data-plane node: set PLINTH_CONSOLE_DATA_PLANE_URL"));
    }
    var request =
        web.requestAbs(method, dataPlane.get() + target)
            .putHeaders(headers(headers, requestId, key))
            .followRedirects(false)
            .timeout(timeout.toMillis());
    Future<HttpResponse<Buffer>> sent =
        body == null || body.length() == 0 ? request.send() : request.sendBuffer(body);
    return sent.map(DataForwarder::answer)
        .recover(
            e ->
                Future.failedFuture(
                    new ProblemException(
                        502,
                        "data_plane_unavailable",
                        "the data plane did not answer: " + e.getClass().getSimpleName())));
  }

  /**
   * What goes to the data plane: {@link #FORWARDED} as sent, the request's id (so both planes log
   * it) and the tenant's key; nothing else, the operator's credential least of all.
   */
  static MultiMap headers(MultiMap request, String requestId, String key) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (String name : FORWARDED) {
      String value = request.get(name);
      if (value != null) {
        out.set(name, value);
      }
    }
    if (requestId != null) {
      out.set("X-Request-Id", requestId);
    }
    return out.set("apikey", key);
  }

  private static Answer answer(HttpResponse<Buffer> response) {
    MultiMap back = MultiMap.caseInsensitiveMultiMap();
    for (String name : PASSED_BACK) {
      String value = response.getHeader(name);
      if (value != null) {
        back.set(name, value);
      }
    }
    return new Answer(
        response.statusCode(), back, response.body() == null ? Buffer.buffer() : response.body());
  }
}
