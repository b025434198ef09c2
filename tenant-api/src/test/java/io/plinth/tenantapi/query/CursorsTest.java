package io.plinth.tenantapi.query;

import static io.plinth.tenantapi.query.Fixtures.field;
import static io.plinth.tenantapi.query.Fixtures.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorsTest {

  private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  private static final OffsetDateTime AT =
      OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 123456000, ZoneOffset.ofHours(2));

  private static final List<OrderTerm> ORDER =
      List.of(
          OrderTerm.desc(field("title")),
          OrderTerm.asc(field("qty")),
          OrderTerm.asc(field("price")),
          OrderTerm.asc(field("published")),
          OrderTerm.asc(field("due")),
          OrderTerm.asc(field("ref")),
          OrderTerm.asc(QueryField.CREATED_AT),
          OrderTerm.asc(QueryField.ID));

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String invalid(String cursor, List<OrderTerm> order) {
    Problem problem = problem(() -> Cursors.decode(cursor, order));
    assertThat(problem.code()).isEqualTo("invalid_cursor");
    assertThat(problem.errors()).hasSize(1);
    assertThat(problem.errors().get(0).field()).isEqualTo("after");
    return problem.errors().get(0).message();
  }

  @Test
  void roundTripOfEveryTypeAndNull() {
    List<Object> values = Arrays.asList("é/+?", 42L, 2.5, true, AT, UUID.randomUUID(), AT, ID);
    String cursor = Cursors.encode(values);
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    assertThat(Cursors.decode(cursor, ORDER)).containsExactlyElementsOf(values);

    List<Object> nulls = Arrays.asList(null, null, null, null, null, null, AT, ID);
    assertThat(Cursors.decode(Cursors.encode(nulls), ORDER)).containsExactlyElementsOf(nulls);
  }

  @Test
  void extremeNumbersRoundTrip() {
    List<OrderTerm> order =
        List.of(
            OrderTerm.asc(field("qty")),
            OrderTerm.asc(field("price")),
            OrderTerm.asc(QueryField.ID));
    for (List<Object> values :
        List.<List<Object>>of(
            List.of(Long.MAX_VALUE, Double.MIN_VALUE, ID),
            List.of(Long.MIN_VALUE, -1.0e308, ID),
            List.of(0L, 0.1 + 0.2, ID))) {
      assertThat(Cursors.decode(Cursors.encode(values), order)).isEqualTo(values);
    }
  }

  @Test
  void timestampsKeepTheirInstantAndPrecision() {
    List<OrderTerm> order =
        List.of(OrderTerm.asc(QueryField.CREATED_AT), OrderTerm.asc(QueryField.ID));
    OffsetDateTime micro = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 999999000, ZoneOffset.UTC);
    assertThat(Cursors.decode(Cursors.encode(List.of(micro, ID)), order).get(0)).isEqualTo(micro);
  }

  @Test
  void nextReadsTheLastRecordAsTheApiShowsIt() {
    List<OrderTerm> order =
        List.of(
            OrderTerm.desc(QueryField.CREATED_AT),
            OrderTerm.asc(field("title")),
            OrderTerm.desc(QueryField.ID));
    OffsetDateTime whole = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    // RecordStore shows system timestamps with OffsetDateTime.toString: "2024-05-01T10:00Z"
    JsonObject record =
        new JsonObject()
            .put("id", ID.toString())
            .put("createdAt", whole.toString())
            .put("title", null)
            .put("qty", 3);
    assertThat(whole.toString()).isEqualTo("2024-05-01T10:00Z");
    String next = Cursors.next(record, order);
    assertThat(Cursors.decode(next, order)).containsExactly(whole, null, ID);
  }

  @Test
  void refusesCursorsThatDoNotDecode() {
    List<OrderTerm> order = List.of(OrderTerm.asc(QueryField.ID));
    assertThat(invalid("", order)).isEqualTo("is empty");
    assertThat(invalid("!!!not base64", order)).isEqualTo("is not a cursor from this API");
    assertThat(invalid(base64("{\"a\":1}"), order)).isEqualTo("is not a cursor from this API");
    assertThat(invalid(base64("[1,"), order)).isEqualTo("is not a cursor from this API");
    assertThat(invalid(base64("\"x\""), order)).isEqualTo("is not a cursor from this API");
    assertThat(
            invalid(
                Base64.getUrlEncoder().encodeToString(new byte[] {'[', (byte) 0xff, ']'}), order))
        .isEqualTo("is not a cursor from this API");
    assertThat(invalid("A".repeat(Cursors.MAX_LENGTH + 1), order)).isEqualTo("is too long");
  }

  @Test
  void refusesCursorsOfAnotherShapeOrType() {
    List<OrderTerm> order = List.of(OrderTerm.asc(field("qty")), OrderTerm.asc(QueryField.ID));
    String mismatch = "does not match the order of this query";
    assertThat(invalid(Cursors.encode(List.of(ID)), order)).isEqualTo(mismatch);
    assertThat(invalid(Cursors.encode(List.of(1L, ID, ID)), order)).isEqualTo(mismatch);
    assertThat(invalid(Cursors.encode(List.of("1", ID)), order)).isEqualTo(mismatch);
    assertThat(invalid(Cursors.encode(List.of(1.5, ID)), order)).isEqualTo(mismatch);
    assertThat(invalid(Cursors.encode(List.of(1L, "not-a-uuid")), order)).isEqualTo(mismatch);
    assertThat(invalid(base64("[1,{\"a\":1}]"), order)).isEqualTo(mismatch);
    // id, createdAt, updatedAt and version are never NULL
    assertThat(invalid(Cursors.encode(Arrays.asList(1L, null)), order)).isEqualTo(mismatch);
    List<OrderTerm> byCreated =
        List.of(OrderTerm.asc(QueryField.CREATED_AT), OrderTerm.asc(QueryField.ID));
    assertThat(invalid(Cursors.encode(Arrays.asList(null, ID)), byCreated)).isEqualTo(mismatch);
    assertThat(invalid(Cursors.encode(List.of("2024-05-01T10:00Z", ID)), byCreated))
        .isEqualTo(mismatch);
  }

  @Test
  void tamperingWithAValidCursorIsRefusedOrStillTyped() {
    List<OrderTerm> order = List.of(OrderTerm.asc(field("qty")), OrderTerm.asc(QueryField.ID));
    String cursor = Cursors.encode(List.of(5L, ID));
    char[] chars = cursor.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char[] copy = chars.clone();
      copy[i] = copy[i] == 'A' ? 'B' : 'A';
      String tampered = new String(copy);
      try {
        List<Object> values = Cursors.decode(tampered, order);
        // Still a well-formed cursor: its values have the order's types.
        assertThat(values.get(0)).isInstanceOf(Long.class);
        assertThat(values.get(1)).isInstanceOf(UUID.class);
      } catch (io.plinth.platform.http.ProblemException e) {
        assertThat(e.problem().code()).isEqualTo("invalid_cursor");
      }
    }
  }

  @Test
  void aCursorWhoseValuesAreTooLongNamesTheRecordInstead() {
    List<OrderTerm> order = List.of(OrderTerm.asc(field("title")), OrderTerm.asc(QueryField.ID));
    String id = ID.toString();
    JsonObject shortRecord = new JsonObject().put("title", "lamp").put("id", id);
    String inline = Cursors.next(shortRecord, order);
    assertThat(Cursors.recordReference(inline)).isEmpty();
    assertThat(Cursors.decode(inline, order)).hasSize(2);

    JsonObject longRecord = new JsonObject().put("title", "\u2019".repeat(10_000)).put("id", id);
    String reference = Cursors.next(longRecord, order);
    assertThat(reference.length()).isLessThan(100);
    assertThat(Cursors.recordReference(reference)).contains(UUID.fromString(id));
    assertThat(Cursors.recordReference("not a cursor")).isEmpty();
  }
}
