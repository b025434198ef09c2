package io.plinth.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem as Plinth's clients see it: a stable machine-readable {@code code}, the HTTP
 * status, a human {@code detail}, optional per-field errors and optional extra members.
 */
public record Problem(
    int status, String code, String detail, List<FieldError> errors, JsonObject extra) {

  public static final String CONTENT_TYPE = "application/problem+json";

  /** One invalid field of the request. */
  public record FieldError(String field, String message) {}

  public Problem {
    Objects.requireNonNull(code);
    errors = errors == null ? List.of() : List.copyOf(errors);
    extra = extra == null ? new JsonObject() : extra.copy();
  }

  public Problem(int status, String code, String detail) {
    this(status, code, detail, List.of(), null);
  }

  /**
   * 400 {@code validation_failed}: the request is not valid, with every bad field at once, so a
   * client (and the console) can show each error at its field.
   */
  public static Problem validationFailed(String detail, List<FieldError> errors) {
    return new Problem(400, "validation_failed", detail, errors, null);
  }

  /** {@link #validationFailed(String, List)} for one bad field. */
  public static Problem validationFailed(String detail, String field, String message) {
    return validationFailed(detail, List.of(new FieldError(field, message)));
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(status, code, detail, fieldErrors, extra);
  }

  /** The member that becomes the {@code Retry-After} header (and stays in the body). */
  public static final String RETRY_AFTER = "retryAfterSeconds";

  /** The same problem, telling the client when to try again. */
  public Problem retryAfterSeconds(int seconds) {
    return with(RETRY_AFTER, seconds);
  }

  public Problem with(String member, Object value) {
    JsonObject copy = extra.copy().put(member, value);
    return new Problem(status, code, detail, errors, copy);
  }

  /** {@code record_not_found} becomes {@code /problems/record-not-found}. */
  public String type() {
    return "/problems/" + code.replace('_', '-');
  }

  public String title() {
    return HttpStatusTitles.title(status);
  }

  public JsonObject toJson(String requestId) {
    JsonObject json =
        new JsonObject()
            .put("type", type())
            .put("title", title())
            .put("status", status)
            .put("detail", detail)
            .put("code", code);
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    if (!errors.isEmpty()) {
      JsonArray array = new JsonArray();
      errors.forEach(
          e -> array.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      json.put("errors", array);
    }
    extra.forEach(entry -> json.put(entry.getKey(), entry.getValue()));
    return json;
  }
}
