package io.plinth.platform.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** Reads a request body as a JSON object, refusing what a client should not send. */
public final class JsonBodies {

  private JsonBodies() {}

  /**
   * The body as a JSON object whose members are all in {@code allowed}.
   *
   * @throws ProblemException 415 for another content type, 400 for bad JSON or unknown members
   */
  public static JsonObject object(RoutingContext ctx, Set<String> allowed) {
    if (!(value(ctx) instanceof JsonObject body)) {
      throw new ProblemException(400, "invalid_body", "the body must be a JSON object");
    }
    List<Problem.FieldError> unknown =
        body.fieldNames().stream()
            .filter(name -> !allowed.contains(name))
            .sorted()
            .map(name -> new Problem.FieldError(name, "unknown field"))
            .toList();
    if (!unknown.isEmpty()) {
      throw new ProblemException(Problem.validationFailed("the body has unknown fields", unknown));
    }
    return body;
  }

  /**
   * The body as a JSON object or array.
   *
   * @throws ProblemException 415 for another content type, 400 for bad JSON or a bare value
   */
  public static Object value(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ProblemException(
          415, "unsupported_media_type", "send the body as application/json");
    }
    try {
      Object parsed = ctx.body().buffer() == null ? null : ctx.body().buffer().toJsonValue();
      if (parsed instanceof JsonObject || parsed instanceof JsonArray) {
        return parsed;
      }
    } catch (DecodeException e) {
      throw new ProblemException(400, "invalid_json", "the body is not valid JSON");
    }
    throw new ProblemException(400, "invalid_body", "the body must be a JSON object or array");
  }
}
