package io.plinth.tenantapi.collections;

import io.plinth.platform.http.Problem.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A collection's read and write rules. */
public record Rules(Rule read, Rule write) {

  /** Nothing is exposed to publishable keys until the developer says so. */
  public static final Rules DEFAULT = new Rules(Rule.SECRET, Rule.SECRET);

  private static final Set<String> MEMBERS = Set.of("read", "write");

  public Rules {
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(write, "write");
  }

  public JsonObject toJson() {
    return new JsonObject().put("read", read.wire()).put("write", write.wire());
  }

  /**
   * Reads {@code {read, write}} at {@code path}, adding every problem to {@code errors}.
   *
   * @param base null when both members are required (create); otherwise the rules that members left
   *     out keep (PATCH)
   * @return the rules, or null when something was wrong
   */
  static Rules fromJson(Object value, String path, Rules base, List<FieldError> errors) {
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError(path, "must be an object"));
      return null;
    }
    int before = errors.size();
    Rule read = rule(json, "read", path, base == null ? null : base.read(), errors);
    Rule write = rule(json, "write", path, base == null ? null : base.write(), errors);
    Validation.unknownMembers(json, MEMBERS, path, errors);
    return errors.size() == before ? new Rules(read, write) : null;
  }

  private static Rule rule(
      JsonObject json, String member, String path, Rule fallback, List<FieldError> errors) {
    String at = Validation.path(path, member);
    Object value = json.getValue(member);
    if (value == null) {
      if (fallback == null) {
        errors.add(new FieldError(at, "is required"));
      }
      return fallback;
    }
    Rule rule = value instanceof String s ? Rule.fromWire(s).orElse(null) : null;
    if (rule == null) {
      errors.add(new FieldError(at, "must be one of " + Rule.wireNames()));
    }
    return rule;
  }
}
