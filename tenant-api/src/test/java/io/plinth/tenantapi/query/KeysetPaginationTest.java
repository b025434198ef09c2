package io.plinth.tenantapi.query;

import static io.plinth.tenantapi.query.Fixtures.ITEMS;
import static io.plinth.tenantapi.query.Fixtures.field;
import static io.plinth.tenantapi.query.Fixtures.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.tenantapi.collections.FieldType;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Simulates keyset pagination in Java: rows with NULLs and many duplicate values are sorted the way
 * the generated ORDER BY sorts them (an independent comparator: NULLs last in both directions, id
 * as the tie-breaker), and each page is "every row the keyset predicate tree accepts, sorted, the
 * first limit + 1". The predicate tree is the one {@link QuerySql} renders. Cursors go through
 * {@link Cursors#next} from the record JSON and back through {@link QueryParser}.
 */
class KeysetPaginationTest {

  /** Fields to order by; the last five are system fields. */
  private static final List<String> ORDERABLE =
      List.of(
          "title",
          "qty",
          "price",
          "published",
          "due",
          "ref",
          "owner",
          "createdAt",
          "updatedAt",
          "version",
          "id");

  private static final List<QueryField> ROW_FIELDS =
      List.of(
          QueryField.ID,
          QueryField.OWNER,
          QueryField.CREATED_AT,
          QueryField.UPDATED_AT,
          QueryField.VERSION,
          field("title"),
          field("qty"),
          field("price"),
          field("published"),
          field("due"),
          field("ref"));

  private static final OffsetDateTime BASE =
      OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
  private static final List<UUID> REFS =
      List.of(
          UUID.fromString("00000000-0000-0000-0000-000000000001"),
          UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff"),
          UUID.fromString("80000000-0000-0000-0000-000000000000"), // negative as a signed long
          UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"));

  /** A row: its typed value per field (null for NULL). */
  private record Row(Map<QueryField, Object> values) {
    Object get(QueryField field) {
      return values.get(field);
    }

    UUID id() {
      return (UUID) values.get(QueryField.ID);
    }

    /** The record JSON as RecordStore shows it (system timestamps via toString). */
    JsonObject json() {
      JsonObject json = new JsonObject();
      for (QueryField field : ROW_FIELDS) {
        Object value = values.get(field);
        if (value instanceof OffsetDateTime t && !field.nullable()) {
          json.put(field.name(), t.toString());
        } else {
          json.put(field.name(), value == null ? null : field.type().toJson(value));
        }
      }
      return json;
    }
  }

  private static <T> T pick(Random random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** Few distinct values and plenty of NULLs, so ties and NULL runs are common. */
  private static Row randomRow(Random random) {
    Map<QueryField, Object> values = new HashMap<>();
    values.put(QueryField.ID, new UUID(random.nextLong(), random.nextLong()));
    values.put(QueryField.OWNER, nullOr(random, pick(random, List.of("a", "b", "B", ""))));
    OffsetDateTime created =
        BASE.plusSeconds(random.nextInt(3)).plusNanos(random.nextInt(2) * 1000);
    values.put(QueryField.CREATED_AT, created);
    values.put(
        QueryField.UPDATED_AT,
        created.withOffsetSameInstant(ZoneOffset.ofHours(random.nextInt(5) - 2)));
    values.put(QueryField.VERSION, (long) (1 + random.nextInt(3)));
    values.put(field("title"), nullOr(random, pick(random, List.of("", "a", "ab", "b", "é"))));
    values.put(field("qty"), nullOr(random, pick(random, List.of(Long.MIN_VALUE, -1L, 0L, 7L))));
    values.put(field("price"), nullOr(random, pick(random, List.of(-1.5, -0.0, 0.0, 2.25))));
    values.put(field("published"), nullOr(random, random.nextBoolean()));
    // The same instant at different offsets is the same timestamptz.
    values.put(
        field("due"),
        nullOr(
            random,
            BASE.plusHours(random.nextInt(2))
                .withOffsetSameInstant(ZoneOffset.ofHours(random.nextInt(3)))));
    values.put(field("ref"), nullOr(random, pick(random, REFS)));
    return new Row(values);
  }

  private static Object nullOr(Random random, Object value) {
    return random.nextInt(3) == 0 ? null : value;
  }

  /** PostgreSQL's order of non-null values, written independently of Condition.compareValues. */
  private static int pgCompare(Object a, Object b) {
    if (a instanceof UUID x) {
      return x.toString().compareTo(b.toString()); // lowercase hex: unsigned byte order
    }
    if (a instanceof OffsetDateTime x) {
      return x.toInstant().compareTo(((OffsetDateTime) b).toInstant());
    }
    if (a instanceof Double x) {
      return Double.compare(x + 0.0, (Double) b + 0.0); // -0.0 + 0.0 is 0.0
    }
    @SuppressWarnings("unchecked")
    Comparable<Object> c = (Comparable<Object>) a;
    return c.compareTo(b);
  }

  /** ORDER BY … ASC NULLS LAST / DESC NULLS LAST, ending with id. */
  private static Comparator<Row> orderBy(List<OrderTerm> order) {
    return (r1, r2) -> {
      for (OrderTerm term : order) {
        Object a = r1.get(term.field());
        Object b = r2.get(term.field());
        if (a == null && b == null) {
          continue;
        }
        if (a == null || b == null) {
          return a == null ? 1 : -1;
        }
        int c = pgCompare(a, b);
        if (c != 0) {
          return term.descending() ? -c : c;
        }
      }
      return 0;
    };
  }

  private static String randomOrder(Random random) {
    List<String> fields = new ArrayList<>(ORDERABLE);
    Collections.shuffle(fields, random);
    int terms = 1 + random.nextInt(3);
    return fields.subList(0, terms).stream()
        .map(f -> f + (random.nextBoolean() ? ".desc" : random.nextBoolean() ? ".asc" : ""))
        .collect(Collectors.joining(","));
  }

  /** One page the way the database would serve it. */
  private static List<Row> page(List<Row> table, Query query) {
    Condition keyset = query.after().map(c -> Keyset.after(query.order(), c)).orElse(null);
    return table.stream()
        .filter(row -> keyset == null || keyset.test(row::get))
        .sorted(orderBy(query.order()))
        .limit(query.limit() + 1L)
        .toList();
  }

  private static Query parse(String order, int limit, String after) {
    Map<String, List<String>> params =
        params(order == null ? "limit" : "order", order == null ? "" + limit : order);
    params.put("limit", List.of("" + limit));
    if (after != null) {
      params.put("after", List.of(after));
    }
    return QueryParser.parse(ITEMS, params);
  }

  /**
   * Pages through the table; {@code onPage} may change it between pages. Returns the rows served.
   */
  private static List<Row> pageThrough(
      List<Row> table, String order, int limit, Runnable betweenPages) {
    List<Row> served = new ArrayList<>();
    String after = null;
    for (int pages = 0; pages < 10_000; pages++) {
      Query query = parse(order, limit, after);
      List<Row> rows = page(table, query);
      boolean more = rows.size() > limit;
      List<Row> shown = more ? rows.subList(0, limit) : rows;
      served.addAll(shown);
      if (!more) {
        return served;
      }
      after = Cursors.next(shown.get(shown.size() - 1).json(), query.order());
      betweenPages.run();
    }
    throw new AssertionError("no end of pages");
  }

  @Test
  void pagesThroughEveryRowExactlyOnceInOrder() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int run = 0; run < 500; run++) {
      List<Row> table = new ArrayList<>();
      int size = random.nextInt(40);
      for (int i = 0; i < size; i++) {
        table.add(randomRow(random));
      }
      String order = random.nextInt(10) == 0 ? null : randomOrder(random);
      int limit = 1 + random.nextInt(7);
      Query query = parse(order, limit, null);

      List<Row> served = pageThrough(table, order, limit, () -> {});
      List<Row> expected = table.stream().sorted(orderBy(query.order())).toList();
      assertThat(served.stream().map(Row::id).toList())
          .as("seed %d run %d order %s limit %d", seed, run, order, limit)
          .containsExactlyElementsOf(expected.stream().map(Row::id).toList());
    }
  }

  @Test
  void concurrentInsertsNeitherRepeatNorSkipRows() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int run = 0; run < 300; run++) {
      List<Row> table = new ArrayList<>();
      int size = random.nextInt(30);
      for (int i = 0; i < size; i++) {
        table.add(randomRow(random));
      }
      List<Row> original = List.copyOf(table);
      String order = randomOrder(random);
      int limit = 1 + random.nextInt(5);
      Comparator<Row> comparator = orderBy(parse(order, limit, null).order());

      List<Row> served =
          pageThrough(
              table,
              order,
              limit,
              () -> {
                for (int i = random.nextInt(3); i > 0; i--) {
                  table.add(randomRow(random));
                }
              });
      String context = "seed " + seed + " run " + run + " order " + order + " limit " + limit;
      Set<UUID> ids = new HashSet<>();
      served.forEach(row -> assertThat(ids.add(row.id())).as(context).isTrue());
      original.forEach(row -> assertThat(ids).as(context).contains(row.id()));
      for (int i = 1; i < served.size(); i++) {
        assertThat(comparator.compare(served.get(i - 1), served.get(i))).as(context).isNegative();
      }
    }
  }

  @Test
  void nullRunsInBothDirections() {
    // qty: 1, 2, NULL, NULL, NULL with page size 1 crosses into and through the NULL run.
    List<Row> table = new ArrayList<>();
    for (Long qty : Arrays.asList(1L, 2L, null, null, null)) {
      Random random = new Random(table.size());
      Row row = randomRow(random);
      row.values().put(field("qty"), qty);
      table.add(row);
    }
    for (String order : List.of("qty.asc", "qty.desc", "qty.desc,title.desc", "qty,id.desc")) {
      Query query = parse(order, 1, null);
      List<Row> served = pageThrough(table, order, 1, () -> {});
      assertThat(served)
          .as(order)
          .containsExactlyElementsOf(table.stream().sorted(orderBy(query.order())).toList());
      List<Object> qtys = served.stream().map(r -> r.get(field("qty"))).toList();
      assertThat(qtys.subList(2, 5)).as(order).containsOnlyNulls();
    }
  }

  @Test
  void keysetTreeForANullCursorValue() {
    QueryField qty = field("qty");
    UUID id = REFS.get(0);
    Condition tree =
        Keyset.after(
            List.of(OrderTerm.asc(qty), OrderTerm.asc(QueryField.ID)), Arrays.asList(null, id));
    // After (NULL, id): only other NULLs with a greater id.
    Map<QueryField, Object> nullGreater = new HashMap<>(Map.of(QueryField.ID, REFS.get(1)));
    Map<QueryField, Object> nullSmaller =
        new HashMap<>(
            Map.of(QueryField.ID, UUID.fromString("00000000-0000-0000-0000-000000000000")));
    Map<QueryField, Object> value = new HashMap<>(Map.of(QueryField.ID, REFS.get(3), qty, 5L));
    assertThat(tree.test(nullGreater::get)).isTrue();
    assertThat(tree.test(nullSmaller::get)).isFalse();
    assertThat(tree.test(value::get)).isFalse();
    assertThat(FieldType.UUID.check(id.toString())).isEqualTo(id);
  }
}
