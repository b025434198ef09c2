package io.plinth.tenantapi.query;

import static io.plinth.tenantapi.query.Fixtures.errors;
import static io.plinth.tenantapi.query.Fixtures.field;
import static io.plinth.tenantapi.query.Fixtures.parse;
import static io.plinth.tenantapi.query.Fixtures.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QueryParserTest {

  private static final String UUID_TEXT = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

  private static Filter only(Query query) {
    assertThat(query.filters()).hasSize(1);
    return query.filters().get(0);
  }

  @Test
  void defaults() {
    Query query = parse();
    assertThat(query.filters()).isEmpty();
    assertThat(query.order())
        .containsExactly(OrderTerm.asc(QueryField.CREATED_AT), OrderTerm.asc(QueryField.ID));
    assertThat(query.limit()).isEqualTo(50);
    assertThat(query.after()).isEmpty();
    assertThat(query.countExact()).isFalse();
    assertThat(query.select())
        .extracting(QueryField::name)
        .containsExactly(
            "id",
            "owner",
            "createdAt",
            "updatedAt",
            "version",
            "title",
            "qty",
            "price",
            "published",
            "due",
            "ref",
            "meta");
  }

  @Test
  void comparisonOpsConvertTheValueWithTheFieldType() {
    assertThat(only(parse("qty", "gt.5"))).isEqualTo(new Filter(field("qty"), FilterOp.GT, 5L));
    assertThat(only(parse("qty", "gte.-5"))).isEqualTo(new Filter(field("qty"), FilterOp.GTE, -5L));
    assertThat(only(parse("price", "lte.9.5")))
        .isEqualTo(new Filter(field("price"), FilterOp.LTE, 9.5));
    assertThat(only(parse("price", "lt.3")))
        .isEqualTo(new Filter(field("price"), FilterOp.LT, 3.0));
    assertThat(only(parse("price", "eq.1e3")))
        .isEqualTo(new Filter(field("price"), FilterOp.EQ, 1000.0));
    assertThat(only(parse("published", "eq.true")))
        .isEqualTo(new Filter(field("published"), FilterOp.EQ, true));
    assertThat(only(parse("title", "neq.a.b")))
        .isEqualTo(new Filter(field("title"), FilterOp.NEQ, "a.b"));
    assertThat(only(parse("title", "eq."))).isEqualTo(new Filter(field("title"), FilterOp.EQ, ""));
    assertThat(only(parse("due", "gt.2024-05-01T10:00:00Z")))
        .isEqualTo(
            new Filter(
                field("due"),
                FilterOp.GT,
                OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC)));
    assertThat(only(parse("ref", "eq." + UUID_TEXT)))
        .isEqualTo(new Filter(field("ref"), FilterOp.EQ, UUID.fromString(UUID_TEXT)));
  }

  @Test
  void systemFieldsAreFilterableByTheirApiNames() {
    assertThat(only(parse("id", "eq." + UUID_TEXT)))
        .isEqualTo(new Filter(QueryField.ID, FilterOp.EQ, UUID.fromString(UUID_TEXT)));
    assertThat(only(parse("owner", "eq.user-1")))
        .isEqualTo(new Filter(QueryField.OWNER, FilterOp.EQ, "user-1"));
    assertThat(only(parse("createdAt", "lt.2024-01-01T00:00:00+02:00")).value())
        .isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(2)));
    assertThat(only(parse("updatedAt", "gte.2024-01-01T00:00:00.5Z")).field())
        .isEqualTo(QueryField.UPDATED_AT);
    assertThat(only(parse("version", "eq.3")))
        .isEqualTo(new Filter(QueryField.VERSION, FilterOp.EQ, 3L));
    assertThat(QueryField.CREATED_AT.column()).isEqualTo("created_at");
  }

  @Test
  void severalConditionsOnTheSameFieldAreKeptInOrder() {
    Query query = parse("price", "gt.1", "price", "lt.9", "title", "eq.x");
    assertThat(query.filters())
        .containsExactly(
            new Filter(field("price"), FilterOp.GT, 1.0),
            new Filter(field("price"), FilterOp.LT, 9.0),
            new Filter(field("title"), FilterOp.EQ, "x"));
  }

  @Test
  void likeTranslatesTheWildcardAndEscapesLiterals() {
    assertThat(only(parse("title", "like.ab*")))
        .isEqualTo(new Filter(field("title"), FilterOp.LIKE, "ab%"));
    assertThat(only(parse("title", "ilike.*50%_off\\*")).value()).isEqualTo("%50\\%\\_off\\\\%");
    assertThat(only(parse("owner", "like.auth0|*")).value()).isEqualTo("auth0|%");
    assertThat(QueryParser.likePattern("")).isEmpty();
    assertThat(QueryParser.likePattern("a_b")).isEqualTo("a\\_b");
  }

  @Test
  void inGivesATypedArray() {
    assertThat(only(parse("qty", "in.(1,2,3)")).value()).isEqualTo(new Long[] {1L, 2L, 3L});
    assertThat(only(parse("price", "in.(1.5,2)")).value()).isEqualTo(new Double[] {1.5, 2.0});
    assertThat(only(parse("title", "in.(a,,b c)")).value())
        .isEqualTo(new String[] {"a", "", "b c"});
    assertThat(only(parse("published", "in.(true)")).value()).isEqualTo(new Boolean[] {true});
    assertThat(only(parse("ref", "in.(" + UUID_TEXT + ")")).value())
        .isEqualTo(new UUID[] {UUID.fromString(UUID_TEXT)});
    assertThat(only(parse("due", "in.(2024-01-01T00:00:00Z)")).value())
        .isInstanceOf(OffsetDateTime[].class);
    String hundred = IntStream.range(0, 100).mapToObj(Integer::toString).collect(joining());
    assertThat((Long[]) only(parse("qty", "in.(" + hundred + ")")).value()).hasSize(100);
  }

  @Test
  void inErrors() {
    String hundredOne = IntStream.range(0, 101).mapToObj(Integer::toString).collect(joining());
    assertThat(
            errors(
                "qty", "in.(1,x,3)",
                "price", "in.()",
                "title", "in.a,b",
                "version", "in.(" + hundredOne + ")"))
        .containsExactly(
            "qty: in: value 2: expected an integer",
            "price: in: expected at least one value",
            "title: in: expected (value,value,…)",
            "version: in: at most 100 values");
  }

  @Test
  void isNullTrueFalse() {
    assertThat(only(parse("title", "is.null")))
        .isEqualTo(new Filter(field("title"), FilterOp.IS, null));
    assertThat(only(parse("meta", "is.null")))
        .isEqualTo(new Filter(field("meta"), FilterOp.IS, null));
    assertThat(only(parse("published", "is.true")).value()).isEqualTo(true);
    assertThat(only(parse("published", "is.false")).value()).isEqualTo(false);
    assertThat(errors("title", "is.true", "published", "is.maybe", "qty", "is.not_null"))
        .containsExactly(
            "title: is: true and false are only for boolean fields",
            "published: is: expected null, true or false",
            "qty: is: expected null");
  }

  @Test
  void valuesOfTheWrongTypeAndMisusedOpsAreAllReported() {
    assertThat(
            errors(
                "qty", "gt.5.5",
                "price", "lt.abc",
                "published", "eq.yes",
                "due", "gt.2024-01-01",
                "ref", "eq.42",
                "qty", "like.1*",
                "meta", "eq.{}",
                "title", "contains.x",
                "price", "5",
                "nope", "eq.1",
                "qty", "eq.99999999999999999999"))
        .containsExactly(
            "qty: gt: expected an integer",
            "qty: like: like is only for text fields",
            "qty: eq: integer out of range (64-bit)",
            "price: lt: expected a number",
            "price: expected <op>.<value> with op one of eq, neq, gt, gte, lt, lte, like, ilike,"
                + " in, is",
            "published: eq: expected true or false",
            "due: gt: expected an RFC 3339 timestamp with offset",
            "ref: eq: expected a UUID",
            "meta: json fields can only be filtered with is.null",
            "title: expected <op>.<value> with op one of eq, neq, gt, gte, lt, lte, like, ilike,"
                + " in, is",
            "nope: unknown parameter: not a field of this collection nor one of order, limit,"
                + " after, select, count");
  }

  @Test
  void textValuesMayNotHoldNul() {
    assertThat(errors("title", "eq.a\u0000b"))
        .containsExactly("title: eq: must not contain the NUL character");
  }

  @Test
  void order() {
    assertThat(parse("order", "qty.desc,title.asc").order())
        .containsExactly(
            OrderTerm.desc(field("qty")),
            OrderTerm.asc(field("title")),
            OrderTerm.asc(QueryField.ID));
    assertThat(parse("order", "title.asc,createdAt.desc").order())
        .containsExactly(
            OrderTerm.asc(field("title")),
            OrderTerm.desc(QueryField.CREATED_AT),
            OrderTerm.desc(QueryField.ID));
    assertThat(parse("order", "price").order())
        .containsExactly(OrderTerm.asc(field("price")), OrderTerm.asc(QueryField.ID));
    // id is unique: what follows it never decides anything
    assertThat(parse("order", "qty.asc,id.desc,title.asc").order())
        .containsExactly(OrderTerm.asc(field("qty")), OrderTerm.desc(QueryField.ID));
    assertThat(errors("order", "meta.asc,nope.desc,qty.up,qty.asc,qty.desc,"))
        .containsExactly(
            "order: meta: json fields cannot be ordered",
            "order: unknown field 'nope'",
            "order: qty: the direction must be asc or desc",
            "order: qty: ordered more than once",
            "order: unknown field ''");
  }

  @Test
  void limitBounds() {
    assertThat(parse("limit", "1").limit()).isEqualTo(1);
    assertThat(parse("limit", "1000").limit()).isEqualTo(1000);
    for (String bad : List.of("0", "1001", "-1", "abc", "", "1.5", "99999999999999")) {
      assertThat(errors("limit", bad))
          .as(bad)
          .containsExactly("limit: must be an integer from 1 to 1000 (inclusive)");
    }
  }

  @Test
  void selectKeepsIdAndVersionAndRecordOrder() {
    Query query = parse("select", "qty,title");
    assertThat(query.select())
        .extracting(QueryField::name)
        .containsExactly("id", "version", "title", "qty");
    assertThat(parse("select", "id").select())
        .extracting(QueryField::name)
        .containsExactly("id", "version");
    assertThat(errors("select", "qty,nope,"))
        .containsExactly("select: unknown field 'nope'", "select: unknown field ''");
  }

  @Test
  void columnsAddOrderFieldsThatAreNotSelected() {
    Query query = parse("select", "title", "order", "price.desc");
    assertThat(query.columns())
        .extracting(QueryField::name)
        .containsExactly("id", "version", "title", "price");
    io.vertx.core.json.JsonObject record =
        new io.vertx.core.json.JsonObject()
            .put("id", UUID_TEXT)
            .put("version", 2)
            .put("title", "t")
            .put("price", 1.5);
    assertThat(query.project(record).fieldNames()).containsExactly("id", "version", "title");
  }

  @Test
  void count() {
    assertThat(parse("count", "exact").countExact()).isTrue();
    assertThat(errors("count", "estimated")).containsExactly("count: must be exact");
  }

  @Test
  void parametersOtherThanFiltersMustBeGivenOnce() {
    assertThat(errors("limit", "5", "limit", "6", "order", "qty", "order", "price"))
        .containsExactly("limit: must be given once", "order: must be given once");
  }

  @Test
  void everyBadParameterIsReportedAtOnce() {
    Problem problem =
        problem(
            () ->
                parse(
                    "limit",
                    "0",
                    "qty",
                    "gt.x",
                    "select",
                    "nope",
                    "count",
                    "yes",
                    "extra",
                    "1",
                    "order",
                    "qty.sideways"));
    assertThat(problem.code()).isEqualTo("invalid_query");
    assertThat(problem.errors())
        .extracting(Problem.FieldError::field)
        .containsExactly("limit", "qty", "select", "count", "extra", "order");
  }

  @Test
  void afterIsDecodedForTheOrder() {
    UUID id = UUID.fromString(UUID_TEXT);
    String cursor = Cursors.encode(java.util.Arrays.asList(7L, null, id));
    Query query = parse("order", "qty.desc,title", "after", cursor);
    assertThat(query.after()).contains(java.util.Arrays.asList(7L, null, id));
  }

  @Test
  void aBadCursorAloneIsInvalidCursorOtherwiseItJoinsTheOtherErrors() {
    String cursor = Cursors.encode(List.of("not a number", UUID.fromString(UUID_TEXT)));
    Problem alone = problem(() -> parse("order", "qty", "after", cursor));
    assertThat(alone.code()).isEqualTo("invalid_cursor");
    assertThat(alone.errors())
        .containsExactly(new Problem.FieldError("after", "does not match the order of this query"));

    assertThat(errors("order", "qty", "after", cursor, "limit", "0"))
        .containsExactly(
            "limit: must be an integer from 1 to 1000 (inclusive)",
            "after: does not match the order of this query");
    // With a bad order the cursor cannot be checked: only the order is reported.
    assertThat(errors("order", "nope", "after", cursor))
        .containsExactly("order: unknown field 'nope'");
  }

  @Test
  void anEmptyValueListIsLikeAnAbsentParameter() {
    assertThat(QueryParser.parse(Fixtures.ITEMS, Map.of("qty", List.of())).filters()).isEmpty();
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(",");
  }
}
