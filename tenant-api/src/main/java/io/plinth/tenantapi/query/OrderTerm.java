package io.plinth.tenantapi.query;

import java.util.Objects;

/** One term of the ORDER BY: NULLs always sort last, in both directions. */
public record OrderTerm(QueryField field, boolean descending) {

  public OrderTerm {
    Objects.requireNonNull(field, "field");
  }

  public static OrderTerm asc(QueryField field) {
    return new OrderTerm(field, false);
  }

  public static OrderTerm desc(QueryField field) {
    return new OrderTerm(field, true);
  }
}
