package io.plinth.provisioning.tenants;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.Plan;
import io.plinth.provisioning.identity.IdentityRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A validated create request: {@code {slug, name, plan, identity?}}. */
public record NewTenant(String slug, String name, Plan plan, IdentityRequest identity) {

  public static final Set<String> FIELDS = Set.of("slug", "name", "plan", "identity");
  public static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]{2,39}");
  private static final int MAX_NAME = 200;

  /**
   * Checks every field and reports all problems at once.
   *
   * @throws ProblemException 400 {@code validation_failed} with one entry per bad field
   */
  public static NewTenant from(JsonObject body) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String slug = text(body, "slug", errors);
    if (slug != null && !SLUG.matcher(slug).matches()) {
      errors.add(
          new Problem.FieldError(
              "slug",
              "3 to 40 characters: a lowercase letter, then lowercase letters, digits or '-'"));
    }
    String name = text(body, "name", errors);
    if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
      errors.add(new Problem.FieldError("name", "1 to " + MAX_NAME + " characters"));
    }
    String planName = text(body, "plan", errors);
    Plan plan = planName == null ? null : Plan.named(planName).orElse(null);
    if (planName != null && plan == null) {
      errors.add(new Problem.FieldError("plan", "one of " + String.join(", ", Plan.names())));
    }
    IdentityRequest identity = IdentityRequest.from(body.getValue("identity"), errors);
    ProblemException.failIfAny(errors, "the tenant is not valid");
    return new NewTenant(slug, name.strip(), plan, identity);
  }

  static String text(JsonObject body, String field, List<Problem.FieldError> errors) {
    Object value = body.getValue(field);
    if (value == null) {
      errors.add(new Problem.FieldError(field, "is required"));
      return null;
    }
    if (!(value instanceof String s)) {
      errors.add(new Problem.FieldError(field, "must be a string"));
      return null;
    }
    return s;
  }
}
