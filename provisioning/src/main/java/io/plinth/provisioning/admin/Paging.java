package io.plinth.provisioning.admin;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keyset paging of an admin listing: {@code after} (the id that ended the previous page) and {@code
 * limit} (1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when not given).
 */
public record Paging(Optional<UUID> after, int limit) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  /**
   * From the query string of a listing that takes nothing else.
   *
   * @throws ProblemException 400 {@code validation_failed} naming each bad parameter
   */
  public static Paging of(MultiMap query) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Paging paging = from(query, errors);
    ProblemException.failIfAny(errors, AdminParams.INVALID);
    return paging;
  }

  /** From the query string; each bad parameter is added to {@code errors}. */
  public static Paging from(MultiMap query, List<Problem.FieldError> errors) {
    Optional<UUID> after =
        Optional.ofNullable(query.get("after"))
            .flatMap(text -> AdminParams.uuid(text, "after", errors));
    return new Paging(after, limit(query.get("limit"), errors));
  }

  private static int limit(String text, List<Problem.FieldError> errors) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new Problem.FieldError("limit", "a whole number from 1 to " + MAX_LIMIT));
    return DEFAULT_LIMIT;
  }

  /** How many rows to fetch: one more than a page tells whether a next page exists. */
  public int fetch() {
    return limit + 1;
  }

  /**
   * {@code {items, next}} from rows fetched with {@link #fetch()}: one page of them, and the id of
   * its last row when there are more.
   */
  public <T> JsonObject page(
      List<T> fetched, Function<T, JsonObject> toJson, Function<T, UUID> id) {
    JsonArray items = new JsonArray();
    fetched.stream().limit(limit).forEach(row -> items.add(toJson.apply(row)));
    String next = fetched.size() > limit ? id.apply(fetched.get(limit - 1)).toString() : null;
    return new JsonObject().put("items", items).put("next", next);
  }
}
