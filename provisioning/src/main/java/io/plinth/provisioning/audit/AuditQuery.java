package io.plinth.provisioning.audit;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.AuditEvent;
import io.plinth.platform.registry.AuditEvents;
import io.plinth.provisioning.admin.AdminParams;
import io.plinth.provisioning.admin.Paging;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /audit?tenant=&actor=&action=&outcome=&after=&limit=}: audit events, newest first,
 * each filter matching exactly ({@code outcome} is {@code success} or {@code failure}); a blank
 * filter is no filter.
 */
public record AuditQuery(AuditEvents.Filter filter, Paging paging) {

  /** The longest filter value; actors and actions are far shorter. */
  public static final int MAX_VALUE = 200;

  /**
   * @throws ProblemException 400 {@code validation_failed} naming each bad parameter
   */
  public static AuditQuery from(MultiMap query) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<String> tenant = text(query, "tenant", errors);
    Optional<String> actor = text(query, "actor", errors);
    Optional<String> action = text(query, "action", errors);
    Optional<AuditEvent.Outcome> outcome =
        text(query, "outcome", errors)
            .flatMap(
                text -> {
                  Optional<AuditEvent.Outcome> parsed = AuditEvent.Outcome.ofWire(text);
                  if (parsed.isEmpty()) {
                    errors.add(new Problem.FieldError("outcome", "success or failure"));
                  }
                  return parsed;
                });
    Paging paging = Paging.from(query, errors);
    ProblemException.failIfAny(errors, AdminParams.INVALID);
    return new AuditQuery(new AuditEvents.Filter(tenant, actor, action, outcome), paging);
  }

  private static Optional<String> text(
      MultiMap query, String name, List<Problem.FieldError> errors) {
    Optional<String> value =
        Optional.ofNullable(query.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    if (value.filter(v -> v.length() > MAX_VALUE).isPresent()) {
      errors.add(new Problem.FieldError(name, "at most " + MAX_VALUE + " characters"));
    }
    return value;
  }
}
