package io.plinth.provisioning.identity;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/**
 * Checks an issuer a tenant brings: its OpenID discovery document ({@code
 * <issuer>/.well-known/openid-configuration}) must answer, name exactly this issuer, and give a
 * {@code jwks_uri}. Anything else is the operator's input being wrong: 400 {@code
 * validation_failed} on {@code identity.issuer}, and nothing is created.
 */
public final class ExternalIssuers {

  static final int MAX_DOCUMENT_BYTES = 256 * 1024;

  private final WebClient web;
  private final long timeoutMillis;

  public ExternalIssuers(WebClient web, Duration timeout) {
    this.web = web;
    this.timeoutMillis = timeout.toMillis();
  }

  /** The discovery document URL of an issuer (OpenID Connect Discovery 1.0, section 4). */
  public static String discoveryUrl(String issuer) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    return base + "/.well-known/openid-configuration";
  }

  /** The issuer's discovery document, once it checks out. */
  public Future<JsonObject> validate(String issuer) {
    String url = discoveryUrl(issuer);
    return web.getAbs(url)
        .timeout(timeoutMillis)
        .send()
        .transform(
            sent -> {
              if (sent.failed()) {
                return refused(issuer, "its discovery document " + url + " did not answer");
              }
              var response = sent.result();
              if (response.statusCode() != 200) {
                return refused(
                    issuer, "its discovery document " + url + " answered " + response.statusCode());
              }
              if (response.body() == null || response.body().length() > MAX_DOCUMENT_BYTES) {
                return refused(issuer, "its discovery document is empty or too large");
              }
              JsonObject document;
              try {
                document = response.body().toJsonObject();
              } catch (RuntimeException e) {
                return refused(issuer, "its discovery document is not a JSON object");
              }
              if (!issuer.equals(document.getValue("issuer"))) {
                return refused(
                    issuer, "its discovery document names another issuer: " + quoted(document));
              }
              if (!(document.getValue("jwks_uri") instanceof String jwks) || jwks.isBlank()) {
                return refused(issuer, "its discovery document has no jwks_uri");
              }
              return Future.succeededFuture(document);
            });
  }

  private static String quoted(JsonObject document) {
    Object named = document.getValue("issuer");
    String text = String.valueOf(named);
    return "'" + (text.length() > 200 ? text.substring(0, 200) : text) + "'";
  }

  private static Future<JsonObject> refused(String issuer, String why) {
    return Future.failedFuture(
        new ProblemException(
            Problem.validationFailed("the identity issuer is not valid", "identity.issuer", why)));
  }
}
