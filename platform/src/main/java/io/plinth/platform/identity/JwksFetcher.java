package io.plinth.platform.identity;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;

/**
 * Fetches an OpenID issuer's signing keys: its discovery document ({@code
 * <issuer>/.well-known/openid-configuration}), which must name the same issuer, then the JSON Web
 * Key Set at its {@code jwks_uri}. Each request has a deadline and a body limit, redirects are not
 * followed, and an {@code https} issuer must publish its keys over {@code https}: the keys decide
 * whose tokens are trusted.
 */
public final class JwksFetcher {

  /** How long each of the two requests may take, connecting included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** The largest discovery document or key set read (Keycloak's are 2-6 KiB). */
  public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final Duration timeout;
  private final int maxBodyBytes;

  public JwksFetcher(Vertx vertx) {
    this(vertx, DEFAULT_TIMEOUT, DEFAULT_MAX_BODY_BYTES);
  }

  public JwksFetcher(Vertx vertx, Duration timeout, int maxBodyBytes) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.maxBodyBytes = maxBodyBytes;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setVerifyHost(true)
                .setName("plinth-jwks"));
  }

  /** The issuer's key set, or a failed future saying what went wrong (never a secret). */
  public Future<JsonObject> fetch(String issuer) {
    String discovery =
        (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
            + "/.well-known/openid-configuration";
    return json(discovery)
        .compose(
            document -> {
              if (!issuer.equals(document.getValue("issuer"))) {
                return Future.failedFuture(
                    "the discovery document names another issuer: " + document.getValue("issuer"));
              }
              if (!(document.getValue("jwks_uri") instanceof String jwksUri)
                  || !allowed(issuer, jwksUri)) {
                return Future.failedFuture("the discovery document has no usable jwks_uri");
              }
              return json(jwksUri);
            })
        .compose(
            jwks ->
                jwks.getValue("keys") instanceof io.vertx.core.json.JsonArray
                    ? Future.succeededFuture(jwks)
                    : Future.failedFuture("the key set has no keys array"));
  }

  /** An absolute http(s) URI, and https whenever the issuer is. */
  private static boolean allowed(String issuer, String uri) {
    try {
      URI parsed = URI.create(uri);
      String scheme = String.valueOf(parsed.getScheme()).toLowerCase(java.util.Locale.ROOT);
      boolean secure = issuer.regionMatches(true, 0, "https:", 0, 6);
      return parsed.getHost() != null
          && ("https".equals(scheme) || ("http".equals(scheme) && !secure));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Future<JsonObject> json(String url) {
    Promise<Buffer> body = Promise.promise();
    long deadline =
        vertx.setTimer(
            timeout.toMillis(),
            ignored -> body.tryFail("no answer within " + timeout.toMillis() + " ms from " + url));
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis())
                .putHeader("Accept", "application/json"))
        .compose(
            request -> {
              // When the deadline passes first, the request is cut rather than left running.
              body.future().onFailure(failure -> request.reset());
              // The response is read from the send future's own callback, which runs as its head
              // arrives. A callback further down the chain may be run later, as a task of its
              // own, and the body may have gone by then (Vert.x drops chunks nobody reads).
              return request.send().onSuccess(response -> read(response, url, body));
            })
        .onFailure(failure -> body.tryFail(url + ": " + failure.getMessage()));
    return body.future()
        .andThen(ignored -> vertx.cancelTimer(deadline))
        .compose(
            buffer -> {
              try {
                return Future.succeededFuture(new JsonObject(buffer));
              } catch (RuntimeException e) { // DecodeException, or JSON that is not an object
                return Future.failedFuture(url + " did not answer a JSON object");
              }
            });
  }

  private void read(HttpClientResponse response, String url, Promise<Buffer> body) {
    if (response.statusCode() != 200) {
      body.tryFail(url + " answered " + response.statusCode());
      response.request().reset();
      return;
    }
    if (declaredLength(response) > maxBodyBytes) {
      body.tryFail(url + " answered more than " + maxBodyBytes + " bytes");
      response.request().reset();
      return;
    }
    Buffer received = Buffer.buffer();
    response.handler(
        chunk -> {
          if (received.length() + chunk.length() > maxBodyBytes) {
            body.tryFail(url + " answered more than " + maxBodyBytes + " bytes");
            response.request().reset();
          } else {
            received.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(failure -> body.tryFail(url + ": " + failure.getMessage()));
    response.endHandler(ignored -> body.tryComplete(received));
  }

  /** The Content-Length, 0 when absent, past any limit when it is not a number. */
  private static long declaredLength(HttpClientResponse response) {
    String length = response.getHeader("Content-Length");
    if (length == null) {
      return 0;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  public Future<Void> close() {
    return client.close();
  }
}
