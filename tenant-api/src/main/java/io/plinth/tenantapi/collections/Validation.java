package io.plinth.tenantapi.collections;

import io.plinth.platform.http.Problem.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Small helpers shared by the request parsers of this package. */
final class Validation {

  private Validation() {}

  /**
   * {@code fields[2]} + {@code type} gives {@code fields[2].type}; an empty prefix gives the
   * member.
   */
  static String path(String prefix, String member) {
    return prefix == null || prefix.isEmpty() ? member : prefix + "." + member;
  }

  /** Adds "unknown field" for every member of {@code json} not in {@code known}, in input order. */
  static void unknownMembers(
      JsonObject json, Set<String> known, String prefix, List<FieldError> errors) {
    for (String member : json.fieldNames()) {
      if (!known.contains(member)) {
        errors.add(new FieldError(path(prefix, member), "unknown field"));
      }
    }
  }

  /** A boolean member that defaults to false; anything else than a boolean is an error. */
  static boolean flag(JsonObject json, String member, String prefix, List<FieldError> errors) {
    Object value = json.getValue(member);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    errors.add(new FieldError(path(prefix, member), "must be a boolean"));
    return false;
  }
}
