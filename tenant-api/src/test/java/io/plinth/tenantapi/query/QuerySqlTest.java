package io.plinth.tenantapi.query;

import static io.plinth.tenantapi.query.Fixtures.field;
import static io.plinth.tenantapi.query.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.tenantapi.query.QuerySql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QuerySqlTest {

  private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  private static final String ALL_COLUMNS =
      "\"id\", \"owner\", \"created_at\", \"updated_at\", \"version\", \"title\", \"qty\","
          + " \"price\", \"published\", \"due\", \"ref\", \"meta\"";

  private static Statement select(Query query, Optional<String> owner) {
    return QuerySql.select("t_acme", "items", query, owner);
  }

  @Test
  void defaultQuery() {
    Statement statement = select(parse(), Optional.empty());
    assertThat(statement.sql())
        .isEqualTo(
            "SELECT "
                + ALL_COLUMNS
                + " FROM \"t_acme\".\"items\" ORDER BY \"created_at\" ASC, \"id\" ASC LIMIT 51");
    assertThat(statement.params()).isEmpty();
  }

  @Test
  void filtersOwnerAndKeysetOverTwoOrderFieldsAndId() {
    String cursor = Cursors.encode(List.of(9.5, "m", ID));
    Query query =
        parse(
            "qty", "gt.5",
            "title", "like.ab*",
            "select", "title",
            "order", "price.desc,title.asc",
            "limit", "10",
            "after", cursor);
    Statement statement = select(query, Optional.of("user-1"));
    assertThat(statement.sql())
        .isEqualTo(
            "SELECT \"id\", \"version\", \"title\", \"price\" FROM \"t_acme\".\"items\""
                + " WHERE \"qty\" > $1"
                + " AND \"title\" LIKE $2 ESCAPE E'\\\\'"
                + " AND \"owner\" = $3"
                + " AND (\"price\" < $4 OR \"price\" IS NULL"
                + " OR (\"price\" = $5 AND (\"title\" > $6 OR \"title\" IS NULL))"
                + " OR (\"price\" = $7 AND \"title\" = $8 AND \"id\" > $9))"
                + " ORDER BY \"price\" DESC NULLS LAST, \"title\" ASC NULLS LAST, \"id\" ASC"
                + " LIMIT 11");
    assertThat(statement.params())
        .containsExactly(5L, "ab%", "user-1", 9.5, 9.5, "m", 9.5, "m", ID);
  }

  @Test
  void keysetWithNullCursorValues() {
    String cursor = Cursors.encode(Arrays.asList(null, 3L, ID));
    Query query = parse("order", "title.desc,qty.desc", "after", cursor);
    Statement statement = select(query, Optional.empty());
    assertThat(statement.sql())
        .isEqualTo(
            "SELECT "
                + ALL_COLUMNS
                + " FROM \"t_acme\".\"items\""
                + " WHERE ((\"title\" IS NULL AND (\"qty\" < $1 OR \"qty\" IS NULL))"
                + " OR (\"title\" IS NULL AND \"qty\" = $2 AND \"id\" < $3))"
                + " ORDER BY \"title\" DESC NULLS LAST, \"qty\" DESC NULLS LAST, \"id\" DESC"
                + " LIMIT 51");
    assertThat(statement.params()).containsExactly(3L, 3L, ID);
  }

  @Test
  void keysetOnNotNullSystemColumnsHasNoNullHandling() {
    OffsetDateTime at = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    Query query =
        parse("order", "createdAt.desc", "after", Cursors.encode(List.of(at, ID)), "limit", "2");
    Statement statement = select(query, Optional.empty());
    assertThat(statement.sql())
        .endsWith(
            " WHERE (\"created_at\" < $1 OR (\"created_at\" = $2 AND \"id\" < $3))"
                + " ORDER BY \"created_at\" DESC, \"id\" DESC LIMIT 3");
    assertThat(statement.params()).containsExactly(at, at, ID);
  }

  @Test
  void everyFilterOp() {
    Query query =
        parse(
            "qty", "eq.1",
            "qty", "neq.2",
            "qty", "gte.3",
            "qty", "lt.4",
            "qty", "lte.5",
            "qty", "in.(6,7)",
            "title", "ilike.*x*",
            "published", "is.true",
            "published", "is.false",
            "meta", "is.null");
    Statement statement = QuerySql.count("t_acme", "items", query, Optional.empty());
    assertThat(statement.sql())
        .isEqualTo(
            "SELECT count(*) FROM \"t_acme\".\"items\" WHERE \"qty\" = $1 AND \"qty\" <> $2"
                + " AND \"qty\" >= $3 AND \"qty\" < $4 AND \"qty\" <= $5 AND \"qty\" = ANY($6)"
                + " AND \"title\" ILIKE $7 ESCAPE E'\\\\' AND \"published\" IS TRUE"
                + " AND \"published\" IS FALSE AND \"meta\" IS NULL");
    assertThat(statement.params()).hasSize(7);
    assertThat(statement.params().subList(0, 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(statement.params().get(5)).isEqualTo(new Long[] {6L, 7L});
    assertThat(statement.params().get(6)).isEqualTo("%x%");
  }

  @Test
  void countIgnoresLimitOrderAndCursor() {
    Query query =
        parse(
            "price", "gt.1",
            "order", "qty.desc",
            "limit", "5",
            "count", "exact",
            "after", Cursors.encode(List.of(3L, ID)));
    Statement statement = QuerySql.count("t_acme", "items", query, Optional.of("u"));
    assertThat(statement.sql())
        .isEqualTo(
            "SELECT count(*) FROM \"t_acme\".\"items\" WHERE \"price\" > $1 AND \"owner\" = $2");
    assertThat(statement.params()).containsExactly(1.0, "u");
    assertThat(QuerySql.count("t_acme", "items", parse(), Optional.empty()).sql())
        .isEqualTo("SELECT count(*) FROM \"t_acme\".\"items\"");
  }

  @Test
  void valuesAreNeverSpliced() {
    Query query = parse("title", "eq.'; DROP TABLE x; --", "owner", "in.(a'b,c)");
    Statement statement = select(query, Optional.of("o'x"));
    assertThat(statement.sql()).doesNotContain("DROP").doesNotContain("a'b").doesNotContain("o'x");
    assertThat(statement.params().get(0)).isEqualTo("'; DROP TABLE x; --");
    assertThat(statement.params().get(1)).isEqualTo(new String[] {"a'b", "c"});
  }

  @Test
  void typedParameters() {
    Query query =
        parse(
            "due",
            "gt.2024-01-01T00:00:00Z",
            "ref",
            "in.(" + ID + ")",
            "id",
            "eq." + ID,
            "price",
            "in.(1.5)");
    List<Object> params = select(query, Optional.empty()).params();
    assertThat(params.get(0)).isInstanceOf(OffsetDateTime.class);
    assertThat(params.get(1)).isInstanceOf(UUID[].class);
    assertThat(params.get(2)).isInstanceOf(UUID.class);
    assertThat(params.get(3)).isInstanceOf(Double[].class);
  }

  @Test
  void renderedKeysetMatchesTheTree() {
    Condition tree =
        Keyset.after(
            List.of(OrderTerm.asc(field("qty")), OrderTerm.asc(QueryField.ID)), List.of(1L, ID));
    assertThat(QuerySql.render(tree).sql())
        .isEqualTo("(\"qty\" > $1 OR \"qty\" IS NULL OR (\"qty\" = $2 AND \"id\" > $3))");
  }
}
