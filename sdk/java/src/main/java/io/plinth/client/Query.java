package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.plinth.client.internal.HttpTransport;
import io.plinth.client.internal.KeysetPages;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A query of a collection's records in the contract's query string: {@code field=op.value}
 * conditions (ANDed), {@code order}, {@code limit}, {@code select}, {@code count=exact}. A query is
 * mutable and not thread-safe, like a builder.
 */
public final class Query implements Iterable<JsonNode> {

  /** The operators of the contract. */
  public enum Operator {
    EQ,
    NEQ,
    GT,
    GTE,
    LT,
    LTE,
    LIKE,
    ILIKE,
    IN,
    IS;

    String token() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private record Condition(String field, Operator operator, String value) {}

  private final Function<String, Page> pages;
  private final List<Condition> conditions = new ArrayList<>();
  private final List<String> order = new ArrayList<>();
  private final List<String> select = new ArrayList<>();
  private Integer limit;
  private boolean countExact;
  private String after;

  Query(Function<String, Page> pages) {
    this.pages = pages;
  }

  /** A query that only builds its query string, for tests and for callers with their own HTTP. */
  public static Query standalone() {
    return new Query(
        queryString -> {
          throw new UnsupportedOperationException("a standalone query has no client");
        });
  }

  public Query where(String field, Operator operator, Object value) {
    conditions.add(new Condition(field, operator, String.valueOf(value)));
    return this;
  }

  public Query eq(String field, Object value) {
    return where(field, Operator.EQ, value);
  }

  public Query neq(String field, Object value) {
    return where(field, Operator.NEQ, value);
  }

  public Query gt(String field, Object value) {
    return where(field, Operator.GT, value);
  }

  public Query gte(String field, Object value) {
    return where(field, Operator.GTE, value);
  }

  public Query lt(String field, Object value) {
    return where(field, Operator.LT, value);
  }

  public Query lte(String field, Object value) {
    return where(field, Operator.LTE, value);
  }

  /** A pattern with {@code *} as the wildcard, e.g. {@code ab*}. */
  public Query like(String field, String pattern) {
    return where(field, Operator.LIKE, pattern);
  }

  /** As {@link #like}, ignoring case. */
  public Query ilike(String field, String pattern) {
    return where(field, Operator.ILIKE, pattern);
  }

  /**
   * One of {@code values}; the platform splits the list on commas without quoting, so a value with
   * a comma is refused here rather than silently matching two other values.
   */
  public Query in(String field, Object... values) {
    for (Object value : values) {
      if (String.valueOf(value).contains(",")) {
        throw new IllegalArgumentException("an in value cannot contain a comma: " + value);
      }
    }
    String list = Stream.of(values).map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
    return where(field, Operator.IN, list);
  }

  /** {@code is.null}, {@code is.true} or {@code is.false}; null stands for SQL NULL. */
  public Query is(String field, Boolean value) {
    return where(field, Operator.IS, value == null ? "null" : value.toString());
  }

  public Query orderAsc(String field) {
    order.add(field + ".asc");
    return this;
  }

  public Query orderDesc(String field) {
    order.add(field + ".desc");
    return this;
  }

  /** Records per page (the platform's default is 50, at most 1,000). */
  public Query limit(int perPage) {
    this.limit = perPage;
    return this;
  }

  /** Only these fields ({@code id} and {@code version} always come along). */
  public Query select(String... fields) {
    select.addAll(List.of(fields));
    return this;
  }

  /** Asks for the number of all matching records, in {@link Page#total()}. */
  public Query countExact() {
    this.countExact = true;
    return this;
  }

  /** Starts after the page whose {@link Page#next()} this is. */
  public Query after(String cursor) {
    this.after = cursor;
    return this;
  }

  /** The query string, without {@code ?}, with every value percent-encoded. */
  public String toQueryString() {
    StringJoiner query = new StringJoiner("&");
    for (Condition condition : conditions) {
      query.add(param(condition.field(), condition.operator().token() + "." + condition.value()));
    }
    if (!order.isEmpty()) {
      query.add(param("order", String.join(",", order)));
    }
    if (!select.isEmpty()) {
      query.add(param("select", String.join(",", select)));
    }
    if (limit != null) {
      query.add(param("limit", limit.toString()));
    }
    if (countExact) {
      query.add("count=exact");
    }
    if (after != null) {
      query.add(param("after", after));
    }
    return query.toString();
  }

  private static String param(String name, String value) {
    return encode(name) + "=" + encode(value);
  }

  private static String encode(String text) {
    return HttpTransport.percentEncode(text);
  }

  /** The first page (or the one after {@link #after}'s cursor). */
  public Page page() {
    return pages.apply(toQueryString());
  }

  /**
   * Every matching record, page after page: each page is read when the previous one is used up,
   * following its {@code next} cursor, which the platform keeps stable under concurrent inserts.
   */
  @Override
  public Iterator<JsonNode> iterator() {
    return KeysetPages.iterator(
        after,
        cursor -> {
          Page page = pageAfter(cursor);
          return new KeysetPages.Chunk<>(page.items(), page.next());
        });
  }

  private Page pageAfter(String cursor) {
    String saved = after;
    after = cursor;
    try {
      return page();
    } finally {
      after = saved;
    }
  }

  /** {@link #iterator()} as a sequential stream. */
  public Stream<JsonNode> stream() {
    return KeysetPages.stream(iterator());
  }
}
