package io.plinth.provisioning.usage;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.usage.UsageSeries;
import io.plinth.provisioning.admin.AdminParams;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Optional;

/** {@code GET /usage/series?range=1h|24h&tenant=}: the range (1h when absent) and the tenant. */
public record UsageQuery(UsageSeries.Range range, Optional<String> tenant) {

  /**
   * @throws ProblemException 400 {@code validation_failed} for another range; 404 {@code
   *     tenant_not_found} for what cannot be a slug
   */
  public static UsageQuery from(MultiMap query) {
    String text = query.get("range");
    Optional<UsageSeries.Range> range =
        text == null ? Optional.of(UsageSeries.Range.HOUR) : UsageSeries.Range.of(text);
    if (range.isEmpty()) {
      ProblemException.failIfAny(
          List.of(new Problem.FieldError("range", "must be 1h or 24h")), AdminParams.INVALID);
    }
    return new UsageQuery(
        range.orElseThrow(), Optional.ofNullable(query.get("tenant")).map(AdminParams::slug));
  }
}
