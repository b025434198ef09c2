package io.plinth.tenantapi.query;

import io.plinth.tenantapi.query.Condition.And;
import io.plinth.tenantapi.query.Condition.Compare;
import io.plinth.tenantapi.query.Condition.Comparison;
import io.plinth.tenantapi.query.Condition.IsNull;
import io.plinth.tenantapi.query.Condition.Or;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyset predicate "rows after the cursor" for an order whose every term sorts NULLs last
 * ({@code ASC NULLS LAST} / {@code DESC NULLS LAST}), in the expanded OR form that works for mixed
 * directions:
 *
 * <pre>
 *   beyond(t1) OR (equal(t1) AND beyond(t2)) OR (equal(t1) AND equal(t2) AND beyond(t3)) …
 * </pre>
 *
 * where for a term with cursor value v:
 *
 * <ul>
 *   <li>{@code equal}: {@code col = v}, or {@code col IS NULL} when v is null;
 *   <li>{@code beyond}: {@code col > v} ({@code <} for DESC), {@code OR col IS NULL} when the
 *       column can hold NULLs (they sort after every value); when v is null nothing sorts beyond it
 *       in this column, so that alternative is left out.
 * </ul>
 *
 * The order ends with the never-null, unique {@code id}, so the predicate is never empty and rows
 * with equal earlier values are told apart.
 */
public final class Keyset {

  private Keyset() {}

  /**
   * @param order the query's full order ({@link Query#order})
   * @param cursor one checked value per term, the last row of the previous page
   */
  public static Condition after(List<OrderTerm> order, List<Object> cursor) {
    if (order.size() != cursor.size()) {
      throw new IllegalArgumentException("one cursor value per order term");
    }
    List<Condition> alternatives = new ArrayList<>();
    List<Condition> equalSoFar = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      OrderTerm term = order.get(i);
      QueryField field = term.field();
      Object value = cursor.get(i);
      if (value != null) {
        Condition beyond =
            new Compare(field, term.descending() ? Comparison.LT : Comparison.GT, value);
        if (field.nullable()) {
          beyond = Or.of(List.of(beyond, new IsNull(field)));
        }
        List<Condition> alternative = new ArrayList<>(equalSoFar);
        alternative.add(beyond);
        alternatives.add(And.of(alternative));
      }
      equalSoFar.add(value == null ? new IsNull(field) : new Compare(field, Comparison.EQ, value));
    }
    return Or.of(alternatives);
  }
}
