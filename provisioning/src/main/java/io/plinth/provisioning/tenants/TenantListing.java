package io.plinth.provisioning.tenants;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.registry.TenantStatus;
import io.plinth.provisioning.admin.AdminParams;
import io.plinth.provisioning.admin.Paging;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /tenants?status=&q=&after=&limit=}: tenants in creation order, of one status or all,
 * and with {@code q} only those whose slug or name contains it, ignoring case (blank: no search).
 */
public record TenantListing(Optional<TenantStatus> status, Optional<String> search, Paging paging) {

  /** The longest search; a slug has 40 characters, a name 200. */
  public static final int MAX_SEARCH = 200;

  /**
   * @throws ProblemException 400 {@code validation_failed} naming each bad parameter
   */
  public static TenantListing from(MultiMap query) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<TenantStatus> status =
        Optional.ofNullable(query.get("status"))
            .flatMap(
                text -> {
                  Optional<TenantStatus> parsed = TenantStatus.ofWire(text);
                  if (parsed.isEmpty()) {
                    errors.add(new Problem.FieldError("status", "not a tenant status"));
                  }
                  return parsed;
                });
    Optional<String> search = Optional.ofNullable(query.get("q")).map(String::strip);
    if (search.filter(q -> q.length() > MAX_SEARCH).isPresent()) {
      errors.add(new Problem.FieldError("q", "at most " + MAX_SEARCH + " characters"));
    }
    Paging paging = Paging.from(query, errors);
    ProblemException.failIfAny(errors, AdminParams.INVALID);
    return new TenantListing(status, search.filter(q -> !q.isEmpty()), paging);
  }
}
