package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.plinth.client.internal.HttpTransport;
import io.plinth.client.internal.KeysetPages;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A keyset-paged listing of the admin API (tenants, audit events, migration runs): {@link #page()}
 * for one page, {@link #stream()} or iteration for every page in turn, following {@code next}.
 * Mutable and not thread-safe, like a builder.
 */
public final class Listing<T> implements Iterable<T> {

  /** One page: its items and the {@code next} cursor (empty on the last page). */
  public record Page<T>(List<T> items, java.util.Optional<String> next) {}

  private final PlinthAdmin admin;
  private final String path;
  private final Map<String, Object> filters;
  private final Function<JsonNode, T> item;
  private Integer limit;
  private String after;

  Listing(PlinthAdmin admin, String path, Map<String, ?> filters, Function<JsonNode, T> item) {
    this.admin = admin;
    this.path = path;
    this.filters = new LinkedHashMap<>(filters);
    this.item = item;
  }

  /** Items per page (the API's default is 50, at most 1,000). */
  public Listing<T> limit(int perPage) {
    this.limit = perPage;
    return this;
  }

  /** Starts after the page whose {@code next} this is. */
  public Listing<T> after(String cursor) {
    this.after = cursor;
    return this;
  }

  /** The first page (or the one after {@link #after}'s cursor). */
  public Page<T> page() {
    return pageAfter(after);
  }

  private Page<T> pageAfter(String cursor) {
    Map<String, Object> query = new LinkedHashMap<>(filters);
    query.put("after", cursor);
    query.put("limit", limit);
    JsonNode body = admin.send("GET", path + HttpTransport.query(query), null).body();
    return new Page<>(Json.list(body.path("items"), item), Json.next(body));
  }

  @Override
  public Iterator<T> iterator() {
    return KeysetPages.iterator(
        after,
        cursor -> {
          Page<T> page = pageAfter(cursor);
          return new KeysetPages.Chunk<>(page.items(), page.next());
        });
  }

  public Stream<T> stream() {
    return KeysetPages.stream(iterator());
  }

  static Map<String, Object> filters(Object... namesAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(Objects.toString(namesAndValues[i]), namesAndValues[i + 1]);
    }
    return map;
  }
}
