package io.plinth.provisioning.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;

/**
 * Asks a node's {@code /health/ready} how it is, within a short timeout. Whatever happens, the
 * answer is a report: a node that does not answer, or answers with something else than a readiness
 * report, is not ready and says why.
 */
public final class NodeProbe {

  /** A node's readiness: ready or not, its checks {@code [{name, ok, detail}]}, or an error. */
  public record Readiness(boolean ready, JsonArray checks, String error) {}

  private final WebClient web;
  private final long timeoutMillis;

  public NodeProbe(WebClient web, long timeoutMillis) {
    this.web = web;
    this.timeoutMillis = timeoutMillis;
  }

  public Future<Readiness> probe(String nodeUrl) {
    try {
      return web.getAbs(nodeUrl + "/health/ready")
          .timeout(timeoutMillis)
          .connectTimeout(timeoutMillis)
          .send()
          .map(NodeProbe::report)
          .otherwise(failure -> unreachable(failure.getMessage()));
    } catch (RuntimeException e) { // a URL the client cannot even parse
      return Future.succeededFuture(unreachable(e.getMessage()));
    }
  }

  static Readiness report(HttpResponse<?> response) {
    JsonObject body;
    try {
      body = response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null || !(body.getValue("checks") instanceof JsonObject checks)) {
      return unreachable("/health/ready answered " + response.statusCode() + " without a report");
    }
    JsonArray list = new JsonArray();
    for (Map.Entry<String, Object> check : checks) {
      JsonObject details =
          check.getValue() instanceof JsonObject json ? json.copy() : new JsonObject();
      boolean ok = "UP".equals(details.remove("status"));
      Object reason = details.remove("reason");
      list.add(
          new JsonObject()
              .put("name", check.getKey())
              .put("ok", ok)
              .put("detail", reason != null ? reason.toString() : detail(details)));
    }
    return new Readiness(response.statusCode() == 200, list, null);
  }

  /** What a check said besides its status, as {@code key: value, …}; null when nothing. */
  private static String detail(JsonObject details) {
    if (details.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    details.forEach(
        field -> {
          if (!text.isEmpty()) {
            text.append(", ");
          }
          text.append(field.getKey()).append(": ").append(field.getValue());
        });
    return text.toString();
  }

  private static Readiness unreachable(String error) {
    return new Readiness(false, new JsonArray(), error == null ? "no answer" : error);
  }
}
