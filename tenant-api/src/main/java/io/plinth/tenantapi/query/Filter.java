package io.plinth.tenantapi.query;

import java.util.Objects;

/**
 * One condition of the query string, with its value already checked and typed for binding.
 *
 * @param value by operator: {@code eq … lte} the field type's Java value (Long, Double, Boolean,
 *     String, UUID, OffsetDateTime); {@code like}/{@code ilike} the LIKE pattern, already
 *     translated ({@code *} to {@code %}, literal {@code % _ \} escaped with {@code \}); {@code in}
 *     a typed array (Long[], Double[], Boolean[], String[], UUID[], OffsetDateTime[]); {@code is}
 *     null for {@code is.null}, or Boolean.TRUE / Boolean.FALSE
 */
public record Filter(QueryField field, FilterOp op, Object value) {

  public Filter {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(op, "op");
  }
}
