package io.plinth.provisioning.tenants;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.Plan;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code PATCH /tenants/{slug}} {@code {plan?, limits?}}: another plan (its limits replace the
 * tenant's), and/or some limits of the tenant's own, applied on top.
 */
public record TenantUpdate(Optional<Plan> plan, Optional<JsonObject> limits) {

  public static final Set<String> FIELDS = Set.of("plan", "limits");

  /**
   * Checks the change, its limits included, before anything is read or written, so a bad one
   * changes nothing.
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad field or limit
   */
  public static TenantUpdate from(JsonObject body) {
    Object planValue = body.getValue("plan");
    Object limitsValue = body.getValue("limits");
    Optional<Plan> plan = planValue instanceof String name ? Plan.named(name) : Optional.empty();
    List<Problem.FieldError> errors = new ArrayList<>();
    if (planValue == null && limitsValue == null) {
      errors.add(new Problem.FieldError("plan", "a plan or limits to change"));
    }
    if (planValue != null && plan.isEmpty()) {
      errors.add(new Problem.FieldError("plan", "one of " + String.join(", ", Plan.names())));
    }
    if (limitsValue != null && !(limitsValue instanceof JsonObject)) {
      errors.add(new Problem.FieldError("limits", "an object of limits by name"));
    }
    ProblemException.failIfAny(errors, "the change is not valid");
    Optional<JsonObject> limits = Optional.ofNullable((JsonObject) limitsValue);
    limits.ifPresent(Plan::checkLimits);
    return new TenantUpdate(plan, limits);
  }

  /** The tenant's new terms, made from its current ones. */
  public Plan applyTo(Plan current) {
    Plan terms = plan.orElse(current);
    return limits.map(terms::withLimits).orElse(terms);
  }
}
