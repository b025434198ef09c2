package io.plinth.tenantapi.collections;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The type of a user field: its wire name, its PostgreSQL column type, and the check that turns a
 * decoded JSON value into the Java value the Vert.x PostgreSQL client binds for that column.
 */
public enum FieldType {
  TEXT("text", "text"),
  INTEGER("integer", "bigint"),
  NUMBER("number", "double precision"),
  BOOLEAN("boolean", "boolean"),
  TIMESTAMP("timestamp", "timestamptz"),
  UUID("uuid", "uuid"),
  JSON("json", "jsonb");

  private final String wire;
  private final String pgType;

  FieldType(String wire, String pgType) {
    this.wire = wire;
    this.pgType = pgType;
  }

  /** The name clients send and receive: {@code text}, {@code integer}, … */
  public String wire() {
    return wire;
  }

  /** The column type in the tenant's table. */
  public String pgType() {
    return pgType;
  }

  public static Optional<FieldType> fromWire(String wire) {
    return Optional.ofNullable(Holder.BY_WIRE.get(wire));
  }

  /** {@code text, integer, number, …} for error messages. */
  public static String wireNames() {
    return String.join(", ", Arrays.stream(values()).map(FieldType::wire).toList());
  }

  /**
   * Checks a decoded JSON value and returns what to bind: String, Long, Double, Boolean,
   * OffsetDateTime, UUID, or for {@link #JSON} the value itself. JSON null gives null: whether a
   * field may be absent is the caller's business ({@code required}).
   *
   * @throws IllegalArgumentException with a short reason a client can read
   */
  public Object check(Object value) {
    if (value == null) {
      return null;
    }
    return switch (this) {
      case TEXT -> checkText(value);
      case INTEGER -> checkInteger(value);
      case NUMBER -> checkNumber(value);
      case BOOLEAN -> checkBoolean(value);
      case TIMESTAMP -> checkTimestamp(value);
      case UUID -> checkUuid(value);
      case JSON -> checkJson(value);
    };
  }

  /** The inverse of {@link #check}: a checked value as JSON (timestamps and UUIDs as strings). */
  public Object toJson(Object checked) {
    if (checked instanceof OffsetDateTime timestamp) {
      return formatTimestamp(timestamp);
    }
    if (checked instanceof java.util.UUID uuid) {
      return uuid.toString();
    }
    return checked;
  }

  /** RFC 3339 text of a timestamp, as returned to clients and written in DDL defaults. */
  public static String formatTimestamp(OffsetDateTime timestamp) {
    return Holder.RFC_3339_PRINT.format(timestamp);
  }

  private static String checkText(Object value) {
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("expected a string");
    }
    // PostgreSQL text cannot hold NUL; refusing it here turns a database error into a 400/422.
    if (text.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException("must not contain the NUL character");
    }
    return text;
  }

  private static Long checkInteger(Object value) {
    // Only JSON integer tokens: Vert.x decodes 1.0 as a Double, and that is not an integer.
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() < 64) {
        return big.longValue();
      }
      throw new IllegalArgumentException("integer out of range (64-bit)");
    }
    throw new IllegalArgumentException("expected an integer");
  }

  private static Double checkNumber(Object value) {
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("expected a number");
    }
    double d = number.doubleValue(); // BigInteger and BigDecimal give ±Infinity when too large
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("expected a finite number");
    }
    return d;
  }

  private static Boolean checkBoolean(Object value) {
    if (!(value instanceof Boolean bool)) {
      throw new IllegalArgumentException("expected a boolean");
    }
    return bool;
  }

  private static OffsetDateTime checkTimestamp(Object value) {
    if (value instanceof String text) {
      try {
        return OffsetDateTime.parse(text, Holder.RFC_3339);
      } catch (DateTimeParseException e) {
        // fall through to the one message
      }
    }
    throw new IllegalArgumentException("expected an RFC 3339 timestamp with offset");
  }

  private static java.util.UUID checkUuid(Object value) {
    // UUID.fromString alone accepts short groups such as "1-2-3-4-5".
    if (value instanceof String text && Holder.UUID_TEXT.matcher(text).matches()) {
      return java.util.UUID.fromString(text);
    }
    throw new IllegalArgumentException("expected a UUID");
  }

  private static Object checkJson(Object value) {
    checkJsonTree(value, 0);
    return value;
  }

  /** jsonb refuses \u0000 in strings and Jackson writes NaN as invalid JSON: refuse both early. */
  private static void checkJsonTree(Object value, int depth) {
    if (depth > Holder.MAX_JSON_DEPTH) {
      throw new IllegalArgumentException("JSON nested too deeply");
    }
    if (value == null || value instanceof Boolean) {
      return;
    }
    if (value instanceof String text) {
      checkText(text);
    } else if (value instanceof Number number) {
      if (number instanceof Double || number instanceof Float) {
        checkNumber(number);
      }
    } else if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        checkText(key);
        checkJsonTree(object.getValue(key), depth + 1);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        checkJsonTree(array.getValue(i), depth + 1);
      }
    } else {
      throw new IllegalArgumentException("expected a JSON value");
    }
  }

  /** Statics used by the constants' methods (enum constants cannot see later static fields). */
  private static final class Holder {
    static final int MAX_JSON_DEPTH = 100;

    static final Map<String, FieldType> BY_WIRE =
        Map.copyOf(
            Arrays.stream(FieldType.values())
                .collect(java.util.stream.Collectors.toMap(FieldType::wire, t -> t)));

    static final Pattern UUID_TEXT =
        Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * RFC 3339 date-time: four-digit year, 'T', seconds required, optional fraction, and a required
     * offset ({@code Z} or {@code ±hh:mm}). ISO_OFFSET_DATE_TIME would also accept a missing
     * seconds field and years beyond four digits.
     */
    static final DateTimeFormatter RFC_3339 = rfc3339(1);

    /** Prints no fraction for whole seconds (a minimum of 0 would let "12:00:00.Z" parse). */
    static final DateTimeFormatter RFC_3339_PRINT = rfc3339(0);

    private static DateTimeFormatter rfc3339(int minFraction) {
      return new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendValue(ChronoField.YEAR, 4)
          .appendLiteral('-')
          .appendValue(ChronoField.MONTH_OF_YEAR, 2)
          .appendLiteral('-')
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .appendLiteral('T')
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, minFraction, 9, true)
          .optionalEnd()
          .appendOffset("+HH:MM", "Z")
          .toFormatter(Locale.ROOT)
          .withChronology(IsoChronology.INSTANCE)
          .withResolverStyle(ResolverStyle.STRICT);
    }
  }
}
