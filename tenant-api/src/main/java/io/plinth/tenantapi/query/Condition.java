package io.plinth.tenantapi.query;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * A small predicate tree, rendered to SQL by {@link QuerySql} and evaluated in Java by {@link
 * #test}, so unit tests check the very logic the SQL runs. There is no negation, so SQL's
 * three-valued logic collapses to two values: a comparison with NULL is false, and UNKNOWN is never
 * turned into TRUE by AND or OR.
 */
public sealed interface Condition
    permits Condition.Compare, Condition.IsNull, Condition.And, Condition.Or {

  /** Evaluates the condition on a row, given the typed value of each field (null for NULL). */
  boolean test(Function<QueryField, Object> row);

  /** The comparisons a keyset predicate needs. */
  enum Comparison {
    LT("<"),
    EQ("="),
    GT(">");

    private final String sql;

    Comparison(String sql) {
      this.sql = sql;
    }

    public String sql() {
      return sql;
    }
  }

  /** {@code field <op> value}; value is a checked, non-null Java value. */
  record Compare(QueryField field, Comparison op, Object value) implements Condition {
    public Compare {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean test(Function<QueryField, Object> row) {
      Object actual = row.apply(field);
      if (actual == null) {
        return false;
      }
      int c = compareValues(actual, value);
      return switch (op) {
        case LT -> c < 0;
        case EQ -> c == 0;
        case GT -> c > 0;
      };
    }
  }

  record IsNull(QueryField field) implements Condition {
    public IsNull {
      Objects.requireNonNull(field, "field");
    }

    @Override
    public boolean test(Function<QueryField, Object> row) {
      return row.apply(field) == null;
    }
  }

  /** All parts; no parts is TRUE. */
  record And(List<Condition> parts) implements Condition {
    public And {
      parts = List.copyOf(parts);
    }

    /** Flattens nested ANDs and unwraps a single part. */
    public static Condition of(List<Condition> parts) {
      List<Condition> flat = new ArrayList<>();
      for (Condition part : parts) {
        if (part instanceof And and) {
          flat.addAll(and.parts);
        } else {
          flat.add(part);
        }
      }
      return flat.size() == 1 ? flat.get(0) : new And(flat);
    }

    @Override
    public boolean test(Function<QueryField, Object> row) {
      return parts.stream().allMatch(p -> p.test(row));
    }
  }

  /** Any part; no parts is FALSE. */
  record Or(List<Condition> parts) implements Condition {
    public Or {
      parts = List.copyOf(parts);
    }

    /** Flattens nested ORs and unwraps a single part. */
    public static Condition of(List<Condition> parts) {
      List<Condition> flat = new ArrayList<>();
      for (Condition part : parts) {
        if (part instanceof Or or) {
          flat.addAll(or.parts);
        } else {
          flat.add(part);
        }
      }
      return flat.size() == 1 ? flat.get(0) : new Or(flat);
    }

    @Override
    public boolean test(Function<QueryField, Object> row) {
      return parts.stream().anyMatch(p -> p.test(row));
    }
  }

  /**
   * Compares two non-null values of the same field type as PostgreSQL does: numbers and booleans
   * naturally (false before true), timestamps by instant, UUIDs as unsigned bytes (Java's {@link
   * UUID#compareTo} compares signed longs), doubles with -0.0 equal to 0.0, text by {@link
   * String#compareTo}. PostgreSQL compares text by the database collation instead, but it uses that
   * collation for the ORDER BY and the keyset predicate alike, which is all keyset pagination
   * needs.
   */
  static int compareValues(Object a, Object b) {
    if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
      return x.toInstant().compareTo(y.toInstant());
    }
    if (a instanceof UUID x && b instanceof UUID y) {
      int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
      return c != 0
          ? c
          : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
    }
    if (a instanceof Long x && b instanceof Long y) {
      return x.compareTo(y);
    }
    if (a instanceof Double x && b instanceof Double y) {
      // Like float8: -0.0 equals 0.0 (Double.compareTo would order them). No NaN gets stored.
      double dx = x;
      double dy = y;
      return dx < dy ? -1 : dx > dy ? 1 : 0;
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return x.compareTo(y);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    throw new IllegalArgumentException(
        "cannot compare " + a.getClass().getSimpleName() + " with " + b.getClass().getSimpleName());
  }
}
