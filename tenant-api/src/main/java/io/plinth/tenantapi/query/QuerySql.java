package io.plinth.tenantapi.query;

import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.tenantapi.query.Condition.And;
import io.plinth.tenantapi.query.Condition.Compare;
import io.plinth.tenantapi.query.Condition.IsNull;
import io.plinth.tenantapi.query.Condition.Or;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL of a {@link Query}. Identifiers are quoted validated names; every value is a bound
 * parameter ({@code $1, $2, …} in {@link Statement#params} order), typed for the Vert.x PostgreSQL
 * client. Build the tuple with {@code Tuple.tuple()} and {@code addValue} for each parameter: an
 * array passed to {@code Tuple.of} would be spread as varargs.
 */
public final class QuerySql {

  private QuerySql() {}

  /** A statement and its parameters. */
  public record Statement(String sql, List<Object> params) {
    public Statement {
      params = java.util.Collections.unmodifiableList(new ArrayList<>(params)); // may hold nulls
    }
  }

  /**
   * {@code SELECT <columns> FROM "schema"."table" WHERE <filters> [AND owner = $n] [AND <keyset>]
   * ORDER BY … LIMIT <limit + 1>}: one row more than the page, so the caller knows whether there is
   * a next page (drop it, and build {@code next} from the page's last row with {@link
   * Cursors#next}). Columns are {@link Query#columns()}, named as in the table.
   *
   * @param ownerFilter for the {@code owner} rule: only rows of this owner
   */
  public static Statement select(
      String schema, String table, Query query, Optional<String> ownerFilter) {
    Params params = new Params();
    List<String> where = where(query, ownerFilter, params);
    query
        .after()
        .ifPresent(cursor -> where.add(render(Keyset.after(query.order(), cursor), params)));
    String columns =
        query.columns().stream().map(QueryField::sql).collect(Collectors.joining(", "));
    String orderBy =
        query.order().stream().map(QuerySql::orderTerm).collect(Collectors.joining(", "));
    String sql =
        "SELECT "
            + columns
            + " FROM "
            + table(schema, table)
            + whereClause(where)
            + " ORDER BY "
            + orderBy
            + " LIMIT "
            + (query.limit() + 1);
    return new Statement(sql, params.values);
  }

  /**
   * {@code SELECT count(*) FROM … WHERE <filters> [AND owner = $n]}: every matching row, whatever
   * the limit and cursor.
   */
  public static Statement count(
      String schema, String table, Query query, Optional<String> ownerFilter) {
    Params params = new Params();
    List<String> where = where(query, ownerFilter, params);
    return new Statement(
        "SELECT count(*) FROM " + table(schema, table) + whereClause(where), params.values);
  }

  /** SQL for a predicate tree; its values are added to {@code params}. */
  static String render(Condition condition, Params params) {
    if (condition instanceof Compare compare) {
      return compare.field().sql() + " " + compare.op().sql() + " " + params.bind(compare.value());
    }
    if (condition instanceof IsNull isNull) {
      return isNull.field().sql() + " IS NULL";
    }
    if (condition instanceof And and) {
      return and.parts().isEmpty() ? "TRUE" : group(and.parts(), " AND ", params);
    }
    if (condition instanceof Or or) {
      return or.parts().isEmpty() ? "FALSE" : group(or.parts(), " OR ", params);
    }
    throw new IllegalArgumentException("unknown condition " + condition);
  }

  /** Renders a keyset predicate alone, for tests and logs. */
  public static Statement render(Condition condition) {
    Params params = new Params();
    String sql = render(condition, params);
    return new Statement(sql, params.values);
  }

  private static String group(List<Condition> parts, String operator, Params params) {
    if (parts.size() == 1) {
      return render(parts.get(0), params);
    }
    List<String> rendered = new ArrayList<>();
    for (Condition part : parts) {
      rendered.add(render(part, params));
    }
    return "(" + String.join(operator, rendered) + ")";
  }

  private static List<String> where(Query query, Optional<String> ownerFilter, Params params) {
    List<String> where = new ArrayList<>();
    for (Filter filter : query.filters()) {
      where.add(filter(filter, params));
    }
    ownerFilter.ifPresent(owner -> where.add(QueryField.OWNER.sql() + " = " + params.bind(owner)));
    return where;
  }

  private static String filter(Filter filter, Params params) {
    String column = filter.field().sql();
    return switch (filter.op()) {
      case EQ -> column + " = " + params.bind(filter.value());
      case NEQ -> column + " <> " + params.bind(filter.value());
      case GT -> column + " > " + params.bind(filter.value());
      case GTE -> column + " >= " + params.bind(filter.value());
      case LT -> column + " < " + params.bind(filter.value());
      case LTE -> column + " <= " + params.bind(filter.value());
      // E'\\' is one backslash whatever standard_conforming_strings says.
      case LIKE -> column + " LIKE " + params.bind(filter.value()) + " ESCAPE E'\\\\'";
      case ILIKE -> column + " ILIKE " + params.bind(filter.value()) + " ESCAPE E'\\\\'";
      case IN -> column + " = ANY(" + params.bind(filter.value()) + ")";
      case IS -> {
        if (filter.value() == null) {
          yield column + " IS NULL";
        }
        yield column + (Boolean.TRUE.equals(filter.value()) ? " IS TRUE" : " IS FALSE");
      }
    };
  }

  private static String orderTerm(OrderTerm term) {
    String direction = term.descending() ? " DESC" : " ASC";
    // NOT NULL columns keep the plain form so their indexes also serve the backward scan.
    return term.field().sql() + direction + (term.field().nullable() ? " NULLS LAST" : "");
  }

  private static String whereClause(List<String> where) {
    return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
  }

  private static String table(String schema, String table) {
    return SqlIdentifiers.qualified(schema, table);
  }

  /** Collects bound values and hands out their placeholders. */
  static final class Params {
    private final List<Object> values = new ArrayList<>();

    String bind(Object value) {
      values.add(value);
      return "$" + values.size();
    }
  }
}
