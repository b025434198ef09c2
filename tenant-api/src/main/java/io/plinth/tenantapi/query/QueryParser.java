package io.plinth.tenantapi.query;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.Problem.FieldError;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.FieldType;
import io.plinth.tenantapi.collections.Names;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Parses the query string of {@code GET /v1/collections/{c}/records}:
 *
 * <ul>
 *   <li>{@code <field>=<op>.<value>}, any number, ANDed; a field may appear several times. Fields
 *       are the collection's fields and the system fields {@code id owner createdAt updatedAt
 *       version}. Values are read from text: integers and numbers as decimal (JSON number syntax),
 *       booleans as {@code true}/{@code false}, timestamps as RFC 3339 with offset (a {@code +}
 *       offset must be sent as {@code %2B}, as a bare {@code +} decodes to a space), UUIDs and text
 *       as is. {@code eq.null} on a text field means the text "null": use {@code is.null}.
 *   <li>{@code like}/{@code ilike} on text fields only: {@code *} is the wildcard; {@code %} and
 *       {@code _} match themselves. There is no way to match a literal {@code *}.
 *   <li>{@code in.(a,b,c)}: 1 to {@value #MAX_IN_VALUES} values split on commas, without quoting,
 *       so values containing a comma cannot be used with {@code in}.
 *   <li>{@code is.null} on any field; {@code is.true}/{@code is.false} on boolean fields.
 *   <li>json fields accept only {@code is.null} and cannot be ordered.
 *   <li>{@code neq} follows SQL: rows where the field is NULL do not match it.
 *   <li>{@code order=f1.asc,f2.desc}: direction optional (asc); NULLs sort last both ways; {@code
 *       id} is appended as the tie-breaker, and terms after an explicit {@code id} are dropped.
 *       Default {@code createdAt.asc}.
 *   <li>{@code limit} 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}; {@code after} a
 *       cursor; {@code select=f1,f2} (plus {@code id} and {@code version}); {@code count=exact}.
 * </ul>
 *
 * The names {@code order limit after select count} are always these parameters: a collection field
 * named {@code after} or {@code count} (they are not reserved words) cannot be filtered on.
 */
public final class QueryParser {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_IN_VALUES = 100;

  /** The query parameters that are not filters. */
  public static final Set<String> PARAMETERS = Names.QUERY_PARAMETERS;

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final Pattern DIRECTION = Pattern.compile("asc|desc");

  private QueryParser() {}

  /**
   * @param params each query parameter's values in order, e.g. from a Vert.x {@code MultiMap} (pass
   *     a LinkedHashMap for errors in query-string order)
   * @throws ProblemException 400 {@code invalid_query} listing every bad parameter; or, when the
   *     {@code after} cursor is the only problem, 400 {@code invalid_cursor}
   */
  public static Query parse(CollectionDefinition collection, Map<String, List<String>> params) {
    List<FieldError> errors = new ArrayList<>();
    List<Filter> filters = new ArrayList<>();
    List<OrderTerm> requested = List.of();
    boolean orderValid = true;
    int limit = DEFAULT_LIMIT;
    String after = null;
    List<QueryField> select = QueryField.all(collection);
    boolean countExact = false;

    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      String name = param.getKey();
      List<String> values = param.getValue() == null ? List.of() : param.getValue();
      if (values.isEmpty()) {
        continue;
      }
      if (PARAMETERS.contains(name) && values.size() > 1) {
        errors.add(new FieldError(name, "must be given once"));
        orderValid &= !name.equals("order");
        continue;
      }
      String value = values.get(0);
      switch (name) {
        case "order" -> {
          int before = errors.size();
          requested = order(collection, value, errors);
          orderValid = errors.size() == before;
        }
        case "limit" -> {
          Integer parsed = limit(value);
          if (parsed == null) {
            errors.add(
                new FieldError(name, "must be an integer from 1 to " + MAX_LIMIT + " (inclusive)"));
          } else {
            limit = parsed;
          }
        }
        case "after" -> after = value;
        case "select" -> select = select(collection, value, errors);
        case "count" -> {
          if (value.equals("exact")) {
            countExact = true;
          } else {
            errors.add(new FieldError(name, "must be exact"));
          }
        }
        default -> {
          Optional<QueryField> field = QueryField.resolve(collection, name);
          if (field.isEmpty()) {
            errors.add(
                new FieldError(
                    name,
                    "unknown parameter: not a field of this collection nor one of "
                        + "order, limit, after, select, count"));
          } else {
            for (String condition : values) {
              Filter filter = filter(field.get(), name, condition, errors);
              if (filter != null) {
                filters.add(filter);
              }
            }
          }
        }
      }
    }

    List<OrderTerm> order = completeOrder(requested);
    Optional<List<Object>> cursor = Optional.empty();
    Optional<java.util.UUID> afterRecord = Cursors.recordReference(after);
    ProblemException cursorProblem = null;
    if (after != null && orderValid && afterRecord.isEmpty()) {
      try {
        cursor = Optional.of(Cursors.decode(after, order));
      } catch (ProblemException e) {
        cursorProblem = e;
        errors.addAll(e.problem().errors());
      }
    }
    if (cursorProblem != null && errors.size() == cursorProblem.problem().errors().size()) {
      throw cursorProblem;
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          new Problem(400, "invalid_query", "the query string is not valid").withErrors(errors));
    }
    return new Query(filters, order, limit, cursor, select, countExact, afterRecord);
  }

  /** The order with {@code id} as the last term: appended, or what follows it dropped. */
  static List<OrderTerm> completeOrder(List<OrderTerm> requested) {
    List<OrderTerm> order = new ArrayList<>();
    if (requested.isEmpty()) {
      order.add(OrderTerm.asc(QueryField.CREATED_AT));
    }
    for (OrderTerm term : requested) {
      order.add(term);
      if (term.field().equals(QueryField.ID)) {
        return order; // unique: later terms never decide anything
      }
    }
    order.add(new OrderTerm(QueryField.ID, order.get(order.size() - 1).descending()));
    return order;
  }

  private static List<OrderTerm> order(
      CollectionDefinition collection, String value, List<FieldError> errors) {
    List<OrderTerm> terms = new ArrayList<>();
    Set<QueryField> seen = new LinkedHashSet<>();
    for (String item : value.split(",", -1)) {
      int dot = item.lastIndexOf('.');
      String name = dot < 0 ? item : item.substring(0, dot);
      String direction = dot < 0 ? "asc" : item.substring(dot + 1);
      Optional<QueryField> field = QueryField.resolve(collection, name);
      if (field.isEmpty()) {
        errors.add(new FieldError("order", "unknown field '" + name + "'"));
      } else if (!DIRECTION.matcher(direction).matches()) {
        errors.add(new FieldError("order", name + ": the direction must be asc or desc"));
      } else if (field.get().type() == FieldType.JSON) {
        errors.add(new FieldError("order", name + ": json fields cannot be ordered"));
      } else if (!seen.add(field.get())) {
        errors.add(new FieldError("order", name + ": ordered more than once"));
      } else {
        terms.add(new OrderTerm(field.get(), direction.equals("desc")));
      }
    }
    return terms;
  }

  private static Integer limit(String value) {
    if (!INTEGER.matcher(value).matches() || value.length() > 9) {
      return null;
    }
    int limit = Integer.parseInt(value);
    return limit >= 1 && limit <= MAX_LIMIT ? limit : null;
  }

  private static List<QueryField> select(
      CollectionDefinition collection, String value, List<FieldError> errors) {
    Set<String> names = new LinkedHashSet<>(List.of("id", "version"));
    for (String name : value.split(",", -1)) {
      if (QueryField.resolve(collection, name).isEmpty()) {
        errors.add(new FieldError("select", "unknown field '" + name + "'"));
      }
      names.add(name);
    }
    return QueryField.all(collection).stream().filter(f -> names.contains(f.name())).toList();
  }

  private static Filter filter(
      QueryField field, String param, String condition, List<FieldError> errors) {
    int dot = condition.indexOf('.');
    Optional<FilterOp> parsedOp =
        dot < 0 ? Optional.empty() : FilterOp.fromWire(condition.substring(0, dot));
    if (parsedOp.isEmpty()) {
      errors.add(
          new FieldError(param, "expected <op>.<value> with op one of " + FilterOp.wireNames()));
      return null;
    }
    FilterOp op = parsedOp.get();
    String text = condition.substring(dot + 1);
    FieldType type = field.type();
    if (type == FieldType.JSON && op != FilterOp.IS) {
      errors.add(new FieldError(param, "json fields can only be filtered with is.null"));
      return null;
    }
    try {
      return switch (op) {
        case IS -> is(field, text);
        case LIKE, ILIKE -> {
          if (type != FieldType.TEXT) {
            throw new IllegalArgumentException(op.wire() + " is only for text fields");
          }
          yield new Filter(field, op, likePattern((String) type.check(text)));
        }
        case IN -> new Filter(field, op, in(type, text));
        default -> new Filter(field, op, value(type, text));
      };
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(param, op.wire() + ": " + e.getMessage()));
      return null;
    }
  }

  private static Filter is(QueryField field, String text) {
    switch (text) {
      case "null":
        return new Filter(field, FilterOp.IS, null);
      case "true", "false":
        if (field.type() == FieldType.BOOLEAN) {
          return new Filter(field, FilterOp.IS, Boolean.valueOf(text));
        }
        throw new IllegalArgumentException("true and false are only for boolean fields");
      default:
        throw new IllegalArgumentException(
            field.type() == FieldType.BOOLEAN ? "expected null, true or false" : "expected null");
    }
  }

  /** The values of {@code (a,b,c)} as a typed array for {@code = ANY($n)}. */
  private static Object in(FieldType type, String text) {
    if (text.length() < 2 || !text.startsWith("(") || !text.endsWith(")")) {
      throw new IllegalArgumentException("expected (value,value,…)");
    }
    String inner = text.substring(1, text.length() - 1);
    if (inner.isEmpty()) {
      throw new IllegalArgumentException("expected at least one value");
    }
    String[] items = inner.split(",", -1);
    if (items.length > MAX_IN_VALUES) {
      throw new IllegalArgumentException("at most " + MAX_IN_VALUES + " values");
    }
    Object[] array =
        switch (type) {
          case TEXT -> new String[items.length];
          case INTEGER -> new Long[items.length];
          case NUMBER -> new Double[items.length];
          case BOOLEAN -> new Boolean[items.length];
          case TIMESTAMP -> new OffsetDateTime[items.length];
          case UUID -> new UUID[items.length];
          case JSON -> throw new IllegalArgumentException("not for json fields");
        };
    for (int i = 0; i < items.length; i++) {
      try {
        array[i] = value(type, items[i]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("value " + (i + 1) + ": " + e.getMessage());
      }
    }
    return array;
  }

  /** A value of the query string, as the field type's Java value. */
  static Object value(FieldType type, String text) {
    return switch (type) {
      case INTEGER -> {
        if (!INTEGER.matcher(text).matches()) {
          throw new IllegalArgumentException("expected an integer");
        }
        try {
          yield Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("integer out of range (64-bit)");
        }
      }
      case NUMBER -> {
        if (!NUMBER.matcher(text).matches()) {
          throw new IllegalArgumentException("expected a number");
        }
        yield type.check(Double.parseDouble(text));
      }
      case BOOLEAN -> {
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        yield Boolean.valueOf(text);
      }
      case TEXT, TIMESTAMP, UUID -> type.check(text);
      case JSON -> throw new IllegalArgumentException("not for json fields");
    };
  }

  /** {@code *} becomes {@code %}; {@code \ % _} are escaped with {@code \} to match themselves. */
  static String likePattern(String value) {
    StringBuilder pattern = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '*' -> pattern.append('%');
        case '%', '_', '\\' -> pattern.append('\\').append(c);
        default -> pattern.append(c);
      }
    }
    return pattern.toString();
  }
}
