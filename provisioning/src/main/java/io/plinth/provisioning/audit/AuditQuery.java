package io.plinth.provisioning.audit;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.provisioning.admin.AdminParams;
import io.plinth.provisioning.admin.Paging;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code GET /audit?tenant=&after=&limit=}: audit events, newest first, of one tenant or all. */
public record AuditQuery(Optional<String> tenant, Paging paging) {

  /**
   * @throws ProblemException 400 {@code validation_failed} naming each bad parameter
   */
  public static AuditQuery from(MultiMap query) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Paging paging = Paging.from(query, errors);
    ProblemException.failIfAny(errors, AdminParams.INVALID);
    return new AuditQuery(Optional.ofNullable(query.get("tenant")), paging);
  }
}
