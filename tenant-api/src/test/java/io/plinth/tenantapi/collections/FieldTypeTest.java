package io.plinth.tenantapi.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldTypeTest {

  /** Decodes one JSON value the way Vert.x decodes request bodies. */
  private static Object json(String text) {
    return new JsonArray("[" + text + "]").getValue(0);
  }

  @Test
  void wireNamesAndColumnTypes() {
    assertThat(Arrays.stream(FieldType.values()).map(FieldType::wire))
        .containsExactly("text", "integer", "number", "boolean", "timestamp", "uuid", "json");
    assertThat(Arrays.stream(FieldType.values()).map(FieldType::pgType))
        .containsExactly(
            "text", "bigint", "double precision", "boolean", "timestamptz", "uuid", "jsonb");
    assertThat(FieldType.fromWire("timestamp")).contains(FieldType.TIMESTAMP);
    assertThat(FieldType.fromWire("TEXT")).isEmpty();
    assertThat(FieldType.fromWire("varchar")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(FieldType.class)
  void nullIsLeftToTheRequiredCheck(FieldType type) {
    assertThat(type.check(null)).isNull();
  }

  @Test
  void text() {
    assertThat(FieldType.TEXT.check(json("\"it's \\\\ fine\""))).isEqualTo("it's \\ fine");
    assertThat(FieldType.TEXT.check("")).isEqualTo("");
    refused(FieldType.TEXT, json("12"), "expected a string");
    refused(FieldType.TEXT, json("true"), "expected a string");
    refused(FieldType.TEXT, new JsonObject(), "expected a string");
    refused(FieldType.TEXT, json("\"a\\u0000b\""), "must not contain the NUL character");
  }

  @Test
  void integerAcceptsWholeNumbersWithinLongRange() {
    assertThat(FieldType.INTEGER.check(json("0"))).isEqualTo(0L);
    assertThat(FieldType.INTEGER.check(json("-42"))).isEqualTo(-42L);
    assertThat(FieldType.INTEGER.check(json("9223372036854775807"))).isEqualTo(Long.MAX_VALUE);
    assertThat(FieldType.INTEGER.check(json("-9223372036854775808"))).isEqualTo(Long.MIN_VALUE);
    assertThat(FieldType.INTEGER.check(7)).isInstanceOf(Long.class);
  }

  @Test
  void integerRefusesFractionsDecimalsAndOverflow() {
    refused(FieldType.INTEGER, json("1.0"), "expected an integer");
    refused(FieldType.INTEGER, json("1.5"), "expected an integer");
    refused(FieldType.INTEGER, json("1e3"), "expected an integer");
    refused(FieldType.INTEGER, json("9223372036854775808"), "integer out of range (64-bit)");
    refused(FieldType.INTEGER, json("-9223372036854775809"), "integer out of range (64-bit)");
    refused(FieldType.INTEGER, json("\"1\""), "expected an integer");
    refused(FieldType.INTEGER, json("true"), "expected an integer");
  }

  @Test
  void numberAcceptsFiniteNumbers() {
    assertThat(FieldType.NUMBER.check(json("1.5"))).isEqualTo(1.5d);
    assertThat(FieldType.NUMBER.check(json("3"))).isEqualTo(3.0d);
    assertThat(FieldType.NUMBER.check(json("-2.5e-3"))).isEqualTo(-0.0025d);
    assertThat(FieldType.NUMBER.check(json("9223372036854775808"))).isEqualTo(9.223372036854776E18);
  }

  @Test
  void numberRefusesNonFiniteAndNonNumbers() {
    refused(FieldType.NUMBER, Double.NaN, "expected a finite number");
    refused(FieldType.NUMBER, Double.POSITIVE_INFINITY, "expected a finite number");
    refused(FieldType.NUMBER, Float.NEGATIVE_INFINITY, "expected a finite number");
    refused(FieldType.NUMBER, json("1e400"), "expected a finite number");
    refused(FieldType.NUMBER, json("\"1.5\""), "expected a number");
    refused(FieldType.NUMBER, json("false"), "expected a number");
  }

  @Test
  void booleanOnlyAcceptsJsonBooleans() {
    assertThat(FieldType.BOOLEAN.check(json("true"))).isEqualTo(true);
    assertThat(FieldType.BOOLEAN.check(json("false"))).isEqualTo(false);
    refused(FieldType.BOOLEAN, json("\"true\""), "expected a boolean");
    refused(FieldType.BOOLEAN, json("1"), "expected a boolean");
  }

  @Test
  void timestampParsesRfc3339WithOffset() {
    assertThat(FieldType.TIMESTAMP.check("2026-01-01T12:30:00Z"))
        .isEqualTo(OffsetDateTime.of(2026, 1, 1, 12, 30, 0, 0, ZoneOffset.UTC));
    assertThat(FieldType.TIMESTAMP.check("2026-01-01T12:30:00.123456+02:00"))
        .isEqualTo(OffsetDateTime.of(2026, 1, 1, 12, 30, 0, 123_456_000, ZoneOffset.ofHours(2)));
    assertThat(FieldType.TIMESTAMP.check("2024-02-29t23:59:59.5-05:30"))
        .isEqualTo(
            OffsetDateTime.of(
                2024, 2, 29, 23, 59, 59, 500_000_000, ZoneOffset.ofHoursMinutes(-5, -30)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01",
        "2026-01-01T12:30:00",
        "2026-01-01T12:30Z",
        "2026-01-01T12:30:00.Z",
        "2026-01-01T12:30:00.1234567890Z",
        "2026-01-01 12:30:00Z",
        "2026-02-30T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "+12026-01-01T00:00:00Z",
        "2026-01-01T12:30:00+0200",
        "2026-01-01T12:30:00Z[Europe/Paris]",
        "yesterday"
      })
  void timestampRefusesAnythingElse(String text) {
    refused(FieldType.TIMESTAMP, text, "expected an RFC 3339 timestamp with offset");
  }

  @Test
  void timestampRefusesNonStrings() {
    refused(FieldType.TIMESTAMP, json("1767225600"), "expected an RFC 3339 timestamp with offset");
  }

  @Test
  void uuid() {
    UUID id = UUID.fromString("0193a5c2-7d1e-7abc-9def-0123456789ab");
    assertThat(FieldType.UUID.check("0193a5c2-7d1e-7abc-9def-0123456789ab")).isEqualTo(id);
    assertThat(FieldType.UUID.check("0193A5C2-7D1E-7ABC-9DEF-0123456789AB")).isEqualTo(id);
    refused(FieldType.UUID, "1-2-3-4-5", "expected a UUID");
    refused(FieldType.UUID, "0193a5c2-7d1e-7abc-9def-0123456789ag", "expected a UUID");
    refused(FieldType.UUID, "0193a5c27d1e7abc9def0123456789ab", "expected a UUID");
    refused(FieldType.UUID, "{0193a5c2-7d1e-7abc-9def-0123456789ab}", "expected a UUID");
    refused(FieldType.UUID, json("12"), "expected a UUID");
  }

  @Test
  void jsonKeepsTheValueItself() {
    JsonObject object = new JsonObject("{\"a\":[1,2.5,{\"b\":null}]}");
    assertThat(FieldType.JSON.check(object)).isSameAs(object);
    JsonArray array = new JsonArray("[1,\"x\"]");
    assertThat(FieldType.JSON.check(array)).isSameAs(array);
    assertThat(FieldType.JSON.check("text")).isEqualTo("text");
    assertThat(FieldType.JSON.check(12)).isEqualTo(12);
    assertThat(FieldType.JSON.check(true)).isEqualTo(true);
  }

  @Test
  void jsonRefusesWhatJsonbCannotStore() {
    refused(FieldType.JSON, new JsonObject().put("a", Double.NaN), "expected a finite number");
    refused(FieldType.JSON, new JsonArray().add("a\u0000"), "must not contain the NUL character");
    refused(
        FieldType.JSON, new JsonObject().put("k\u0000", 1), "must not contain the NUL character");
    refused(FieldType.JSON, new Object(), "expected a JSON value");
  }

  @Test
  void toJsonIsTheInverseOfCheck() {
    for (String text :
        new String[] {
          "2026-01-01T12:30:00Z", "2026-01-01T12:30:00.123+02:00", "2026-01-01T12:30:00.000001Z"
        }) {
      assertThat(FieldType.TIMESTAMP.toJson(FieldType.TIMESTAMP.check(text))).isEqualTo(text);
    }
    String id = "0193a5c2-7d1e-7abc-9def-0123456789ab";
    assertThat(FieldType.UUID.toJson(FieldType.UUID.check(id))).isEqualTo(id);
    assertThat(FieldType.INTEGER.toJson(5L)).isEqualTo(5L);
  }

  private static void refused(FieldType type, Object value, String reason) {
    assertThatThrownBy(() -> type.check(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }
}
