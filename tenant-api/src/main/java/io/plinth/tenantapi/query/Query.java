package io.plinth.tenantapi.query;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed, validated records query.
 *
 * @param filters ANDed, in query-string order
 * @param order the full sort order: the requested terms (or {@code createdAt.asc} by default) with
 *     {@code id} as the final tie-breaker, so it is total. The ORDER BY, the keyset predicate and
 *     the cursor all use this list; a cursor has one value per term.
 * @param limit page size, 1 to {@link QueryParser#MAX_LIMIT}; the SQL asks for one more row
 * @param after the decoded {@code after} cursor: one checked value per {@link #order} term
 * @param select the fields to show, in record order: every field without {@code select}, else the
 *     selected ones plus {@code id} and {@code version} (the ETag needs it)
 * @param countExact {@code count=exact}: also count every row matching the filters
 * @param afterRecord the record an {@code after} cursor names instead of carrying its values (see
 *     {@link Cursors#INLINE_LIMIT}); the store looks the values up and fills {@link #after}
 */
public record Query(
    List<Filter> filters,
    List<OrderTerm> order,
    int limit,
    Optional<List<Object>> after,
    List<QueryField> select,
    boolean countExact,
    Optional<java.util.UUID> afterRecord) {

  public Query {
    filters = List.copyOf(filters);
    order = List.copyOf(order);
    Objects.requireNonNull(after, "after");
    select = List.copyOf(select);
    if (order.isEmpty() || !order.get(order.size() - 1).field().equals(QueryField.ID)) {
      throw new IllegalArgumentException("the order must end with id");
    }
    if (after.isPresent() && after.get().size() != order.size()) {
      throw new IllegalArgumentException("one cursor value per order term");
    }
    if (after.isPresent() && afterRecord.isPresent()) {
      throw new IllegalArgumentException("a cursor carries values or names a record, not both");
    }
  }

  /** The same query continuing after these cursor values (looked up for {@link #afterRecord}). */
  public Query after(List<Object> values) {
    return new Query(
        filters, order, limit, Optional.of(values), select, countExact, Optional.empty());
  }

  /**
   * The columns the SELECT reads: the shown fields, then any order field not shown (the next cursor
   * is built from the last row, so the caller must read it before {@link #project}).
   */
  public List<QueryField> columns() {
    List<QueryField> columns = new java.util.ArrayList<>(select);
    order.forEach(
        term -> {
          if (!columns.contains(term.field())) {
            columns.add(term.field());
          }
        });
    return columns;
  }

  /** The record as the client sees it: only the {@link #select}ed members. */
  public JsonObject project(JsonObject record) {
    JsonObject shown = new JsonObject();
    for (QueryField field : select) {
      shown.put(field.name(), record.getValue(field.name()));
    }
    return shown;
  }
}
