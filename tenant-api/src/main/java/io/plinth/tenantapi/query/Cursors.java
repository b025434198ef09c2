package io.plinth.tenantapi.query;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.Problem.FieldError;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.collections.FieldType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The opaque {@code after} cursor: base64url (no padding) of the JSON array of the last row's
 * values for each term of the query's order, {@code [v1, …, id]}, in their record JSON form
 * (timestamps as RFC 3339 text, UUIDs as text, NULL as null). A cursor is checked against the order
 * of the request that brings it back: the same number of values, each of its term's type. It does
 * not record which fields it was made for, so a cursor reused with a different order of the same
 * types is accepted and pages from the corresponding position.
 */
public final class Cursors {

  /** Longer cursors are refused before decoding; only huge text order values come near. */
  public static final int MAX_LENGTH = 16 * 1024;

  /**
   * Longest cursor that carries the last row's values. Past it (long text order values) the cursor
   * names the last record instead, and the next page looks its values up: a URL must stay short
   * enough to send back.
   */
  public static final int INLINE_LIMIT = 2 * 1024;

  private static final String RECORD_MEMBER = "after";

  private Cursors() {}

  /**
   * Encodes checked values (Long, Double, Boolean, String, UUID, OffsetDateTime or null) or their
   * JSON forms.
   */
  public static String encode(List<Object> values) {
    JsonArray array = new JsonArray();
    for (Object value : values) {
      array.add(jsonValue(value));
    }
    return base64(array.encode());
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The cursor of the page after the one ending with {@code lastRecord}: its values for each order
   * term. {@code lastRecord} is the record JSON as read (before {@link Query#project}), so it has
   * every order field. System timestamps may be in {@link OffsetDateTime#toString} form, which can
   * leave out zero seconds; they are normalized to RFC 3339.
   */
  public static String next(JsonObject lastRecord, List<OrderTerm> order) {
    String inline = encode(values(lastRecord, order));
    if (inline.length() <= INLINE_LIMIT) {
      return inline;
    }
    return base64(new JsonObject().put(RECORD_MEMBER, lastRecord.getString("id")).encode());
  }

  /**
   * The id of the record a cursor continues after, when it names one instead of carrying values
   * (see {@link #INLINE_LIMIT}); empty for a cursor of values.
   */
  public static Optional<UUID> recordReference(String cursor) {
    if (cursor == null || cursor.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    try {
      JsonObject reference =
          new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (reference.size() == 1 && reference.getValue(RECORD_MEMBER) instanceof String id) {
        return Optional.of(UUID.fromString(id));
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty(); // not a reference: decoding it as values reports what is wrong
    }
  }

  /** A record's values for each order term, checked, as a cursor carries them. */
  public static List<Object> values(JsonObject lastRecord, List<OrderTerm> order) {
    List<Object> values = new ArrayList<>();
    for (OrderTerm term : order) {
      QueryField field = term.field();
      Object value = lastRecord.getValue(field.name());
      if (value instanceof String text && field.type() == FieldType.TIMESTAMP) {
        try {
          value = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("not a timestamp in " + field.name(), e);
        }
      } else {
        value = field.type().check(value);
      }
      values.add(value);
    }
    return values;
  }

  /**
   * Decodes a cursor for this order into checked values, one per term.
   *
   * @throws ProblemException 400 {@code invalid_cursor}, with the reason as the error of field
   *     {@code after}
   */
  public static List<Object> decode(String cursor, List<OrderTerm> order) {
    if (cursor == null || cursor.isEmpty()) {
      throw invalid("is empty");
    }
    if (cursor.length() > MAX_LENGTH) {
      throw invalid("is too long");
    }
    JsonArray array;
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(cursor);
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      array = new JsonArray(text);
    } catch (RuntimeException | CharacterCodingException e) {
      // bad base64, bad UTF-8, not JSON, or JSON but not an array
      throw invalid("is not a cursor from this API");
    }
    if (array.size() != order.size()) {
      throw invalid("does not match the order of this query");
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      QueryField field = order.get(i).field();
      Object raw = array.getValue(i);
      if (raw == null && !field.nullable()) {
        throw invalid("does not match the order of this query");
      }
      try {
        values.add(field.type().check(raw));
      } catch (IllegalArgumentException e) {
        throw invalid("does not match the order of this query");
      }
    }
    return values;
  }

  private static Object jsonValue(Object value) {
    if (value instanceof OffsetDateTime timestamp) {
      return FieldType.formatTimestamp(timestamp);
    }
    if (value instanceof UUID uuid) {
      return uuid.toString();
    }
    return value;
  }

  /** A cursor naming a record the caller can no longer see: it cannot say where to go on. */
  public static ProblemException recordGone() {
    return invalid("continues after a record that no longer exists; start from the first page");
  }

  private static ProblemException invalid(String reason) {
    return new ProblemException(
        new Problem(400, "invalid_cursor", "the after cursor is not valid for this query")
            .withErrors(List.of(new FieldError("after", reason))));
  }
}
