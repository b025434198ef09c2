package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An error answer of the platform, read from its problem+json body. */
public class PlinthException extends RuntimeException {

  /** One invalid input, as a 400's {@code errors} lists them. */
  public record FieldError(String field, String message) {}

  private final int status;
  private final String code;
  private final String detail;
  private final String requestId;
  private final List<FieldError> fieldErrors;

  PlinthException(
      int status, String code, String detail, String requestId, List<FieldError> fieldErrors) {
    super(status + " " + code + (detail == null ? "" : ": " + detail));
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.requestId = requestId;
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  /**
   * The error an answer stands for; a body that is not problem+json (a proxy's page, say) still
   * gives the status, with a code made from it, so callers can always branch on {@link #code()}.
   * Used by the SDK's clients; applications have no need of it.
   */
  public static PlinthException fromResponse(
      int status, String body, Optional<String> requestIdHeader, ObjectMapper json) {
    JsonNode problem = parse(body, json);
    String code = text(problem, "code").orElse("http_" + status);
    String detail = text(problem, "detail").or(() -> text(problem, "title")).orElse(null);
    String requestId = text(problem, "requestId").or(() -> requestIdHeader).orElse(null);
    List<FieldError> errors = new ArrayList<>();
    for (JsonNode error : problem.path("errors")) {
      errors.add(
          new FieldError(text(error, "field").orElse(null), text(error, "message").orElse(null)));
    }
    return status == 412
        ? new PlinthConflictException(status, code, detail, requestId, errors)
        : new PlinthException(status, code, detail, requestId, errors);
  }

  private static JsonNode parse(String body, ObjectMapper json) {
    try {
      JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
      return node == null || !node.isObject() ? json.createObjectNode() : node;
    } catch (IOException notJson) {
      return json.createObjectNode();
    }
  }

  private static Optional<String> text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  public int status() {
    return status;
  }

  /** The machine-readable code, e.g. {@code record_not_found}. */
  public String code() {
    return code;
  }

  public String detail() {
    return detail;
  }

  /** The id to quote to the operator; it names the request in the platform's logs. */
  public String requestId() {
    return requestId;
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }

  /** A stale version (412) or a clash with existing data (409). */
  public boolean isConflict() {
    return status == 409 || status == 412;
  }

  public boolean isNotFound() {
    return status == 404;
  }
}
