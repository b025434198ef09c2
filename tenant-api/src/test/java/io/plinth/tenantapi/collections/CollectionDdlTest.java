package io.plinth.tenantapi.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.http.Problem.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CollectionDdlTest {

  private static final CollectionDefinition ITEMS =
      CollectionDefinition.fromJson(
          new JsonObject(
              """
              {"name": "items",
               "fields": [
                 {"name": "title", "type": "text", "required": true, "default": "it's"},
                 {"name": "qty", "type": "integer", "required": true, "indexed": true, "default": 0},
                 {"name": "price", "type": "number"},
                 {"name": "sku", "type": "text", "unique": true},
                 {"name": "ref", "type": "uuid", "unique": true, "indexed": true},
                 {"name": "due", "type": "timestamp", "indexed": true,
                  "default": "2026-01-01T00:00:00+01:00"},
                 {"name": "meta", "type": "json", "default": {"a": "b's"}},
                 {"name": "done", "type": "boolean", "default": false}
               ]}
              """));

  @Test
  void createsTableConstraintsAndIndexes() {
    assertThat(CollectionDdl.create("t_acme", ITEMS))
        .containsExactly(
            "CREATE TABLE \"t_acme\".\"items\" ("
                + "\"id\" uuid PRIMARY KEY, "
                + "\"owner\" text, "
                + "\"created_at\" timestamptz NOT NULL DEFAULT now(), "
                + "\"updated_at\" timestamptz NOT NULL DEFAULT now(), "
                + "\"version\" bigint NOT NULL DEFAULT 1, "
                + "\"title\" text NOT NULL DEFAULT 'it''s'::text, "
                + "\"qty\" bigint NOT NULL DEFAULT 0, "
                + "\"price\" double precision, "
                + "\"sku\" text, "
                + "\"ref\" uuid, "
                + "\"due\" timestamptz DEFAULT '2026-01-01T00:00:00+01:00'::timestamptz, "
                + "\"meta\" jsonb DEFAULT '{\"a\":\"b''s\"}'::jsonb, "
                + "\"done\" boolean DEFAULT false)",
            "ALTER TABLE \"t_acme\".\"items\" ADD CONSTRAINT \"items_sku_key\" UNIQUE (\"sku\")",
            "ALTER TABLE \"t_acme\".\"items\" ADD CONSTRAINT \"items_ref_key\" UNIQUE (\"ref\")",
            "CREATE INDEX \"items_qty_idx\" ON \"t_acme\".\"items\" (\"qty\")",
            "CREATE INDEX \"items_due_idx\" ON \"t_acme\".\"items\" (\"due\")",
            "CREATE INDEX \"items_created_idx\" ON \"t_acme\".\"items\" (\"created_at\", \"id\")",
            "CREATE INDEX \"items_owner_idx\" ON \"t_acme\".\"items\" (\"owner\", \"id\")");
  }

  @Test
  void aCollectionWithoutFieldsStillHasItsSystemColumnsAndIndexes() {
    assertThat(CollectionDdl.create("t_acme", new CollectionDefinition("notes", List.of(), null)))
        .hasSize(3)
        .first()
        .asString()
        .endsWith("\"version\" bigint NOT NULL DEFAULT 1)");
  }

  @Test
  void badSchemaOrTableNamesNeverReachTheSql() {
    assertThatThrownBy(() -> CollectionDdl.create("T_acme", ITEMS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.drop("t_acme", "items\"; drop schema x; --"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.addIndex("t_acme", "items", "Qty"))
        .isInstanceOf(IllegalArgumentException.class);
    CollectionDefinition unchecked =
        new CollectionDefinition(
            "items", List.of(FieldDefinition.of("x\" text); --", FieldType.TEXT)), null);
    assertThatThrownBy(() -> CollectionDdl.create("t_acme", unchecked))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stringLiteralsDoubleQuotesAndKeepBackslashes() {
    assertThat(CollectionDdl.stringLiteral("it's")).isEqualTo("'it''s'");
    assertThat(CollectionDdl.stringLiteral("''")).isEqualTo("''''''");
    assertThat(CollectionDdl.stringLiteral("a\\'; drop table x; --"))
        .isEqualTo("'a\\''; drop table x; --'");
    assertThat(CollectionDdl.stringLiteral("")).isEqualTo("''");
    assertThatThrownBy(() -> CollectionDdl.stringLiteral("a\u0000b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void literalsPerType() {
    assertThat(CollectionDdl.literal(FieldType.TEXT, "it's")).isEqualTo("'it''s'::text");
    assertThat(CollectionDdl.literal(FieldType.INTEGER, -42L)).isEqualTo("-42");
    assertThat(CollectionDdl.literal(FieldType.INTEGER, Long.MIN_VALUE))
        .isEqualTo("-9223372036854775808");
    assertThat(CollectionDdl.literal(FieldType.NUMBER, 1.5d)).isEqualTo("1.5");
    assertThat(CollectionDdl.literal(FieldType.NUMBER, 1e20d)).isEqualTo("1.0E20");
    assertThat(CollectionDdl.literal(FieldType.NUMBER, -2.5e-7d)).isEqualTo("-2.5E-7");
    assertThat(CollectionDdl.literal(FieldType.BOOLEAN, true)).isEqualTo("true");
    assertThat(
            CollectionDdl.literal(
                FieldType.TIMESTAMP, OffsetDateTime.of(2026, 3, 1, 8, 0, 0, 1000, ZoneOffset.UTC)))
        .isEqualTo("'2026-03-01T08:00:00.000001Z'::timestamptz");
    assertThat(
            CollectionDdl.literal(
                FieldType.UUID, UUID.fromString("0193a5c2-7d1e-7abc-9def-0123456789ab")))
        .isEqualTo("'0193a5c2-7d1e-7abc-9def-0123456789ab'::uuid");
    assertThat(CollectionDdl.literal(FieldType.JSON, new JsonArray().add("it's").add(1)))
        .isEqualTo("'[\"it''s\",1]'::jsonb");
    assertThat(CollectionDdl.literal(FieldType.JSON, "it's")).isEqualTo("'\"it''s\"'::jsonb");
    assertThat(CollectionDdl.literal(FieldType.JSON, 12)).isEqualTo("'12'::jsonb");
    assertThat(CollectionDdl.literal(FieldType.JSON, false)).isEqualTo("'false'::jsonb");
  }

  @Test
  void literalsRefuseValuesTheTypeCheckWouldRefuse() {
    assertThatThrownBy(() -> CollectionDdl.literal(FieldType.INTEGER, "1; drop table x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.literal(FieldType.INTEGER, 1.0d))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.literal(FieldType.NUMBER, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.literal(FieldType.BOOLEAN, "true"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.literal(FieldType.TEXT, "a\u0000"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.literal(FieldType.UUID, "now()"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionDdl.literal(FieldType.TIMESTAMP, "now()"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longNamesGiveBoundedDistinctConstraintAndIndexNames() {
    String table = "t" + "a".repeat(62);
    String field1 = "f" + "b".repeat(60) + "1";
    String field2 = "f" + "b".repeat(60) + "2";

    String key1 = CollectionDdl.uniqueConstraintName(table, field1);
    String key2 = CollectionDdl.uniqueConstraintName(table, field2);
    String idx1 = CollectionDdl.indexName(table, field1);

    for (String name : List.of(key1, key2, idx1)) {
      assertThat(name).hasSize(63).startsWith(table.substring(0, 54)).matches(".*_[0-9a-f]{8}");
      assertThat(Names.NAME.matcher(name).matches()).isTrue();
    }
    assertThat(key1).isNotEqualTo(key2).isNotEqualTo(idx1);
    assertThat(CollectionDdl.boundedName(table + "_created_idx")).hasSize(63);

    CollectionDefinition wide =
        new CollectionDefinition(
            table,
            List.of(
                new FieldDefinition(field1, FieldType.TEXT, false, true, false, null),
                new FieldDefinition(field2, FieldType.TEXT, false, false, true, null)),
            null);
    List<String> sql = CollectionDdl.create("t_" + "s".repeat(61), wide);
    assertThat(sql.get(1)).contains("ADD CONSTRAINT \"" + key1 + "\" UNIQUE");
    assertThat(sql.get(2)).startsWith("CREATE INDEX \"" + CollectionDdl.indexName(table, field2));
  }

  @Test
  void shortNamesAreKeptAsTheyAre() {
    assertThat(CollectionDdl.uniqueConstraintName("items", "sku")).isEqualTo("items_sku_key");
    assertThat(CollectionDdl.indexName("items", "qty")).isEqualTo("items_qty_idx");
    String exactly63 = "a".repeat(59) + "_idx";
    assertThat(CollectionDdl.boundedName(exactly63)).isEqualTo(exactly63);
  }

  @Test
  void aFieldNamedCreatedDoesNotTakeTheSystemIndexName() {
    String name = CollectionDdl.indexName("items", "created");
    assertThat(name).isNotEqualTo("items_created_idx").matches("items_created_idx_[0-9a-f]{8}");
    CollectionDefinition c =
        new CollectionDefinition(
            "items",
            List.of(new FieldDefinition("created", FieldType.TIMESTAMP, false, false, true, null)),
            null);
    assertThat(CollectionDdl.create("t_acme", c))
        .contains("CREATE INDEX \"" + name + "\" ON \"t_acme\".\"items\" (\"created\")")
        .contains(
            "CREATE INDEX \"items_created_idx\" ON \"t_acme\".\"items\" (\"created_at\", \"id\")");
  }

  @Test
  void addsFieldsToAnExistingTable() {
    List<FieldDefinition> fields =
        List.of(
            new FieldDefinition("rank", FieldType.INTEGER, true, false, true, 1L),
            new FieldDefinition("code", FieldType.TEXT, false, true, false, null));
    assertThat(CollectionDdl.addFields("t_acme", "items", fields))
        .containsExactly(
            "ALTER TABLE \"t_acme\".\"items\" ADD COLUMN \"rank\" bigint NOT NULL DEFAULT 1",
            "ALTER TABLE \"t_acme\".\"items\" ADD COLUMN \"code\" text",
            "ALTER TABLE \"t_acme\".\"items\" ADD CONSTRAINT \"items_code_key\" UNIQUE (\"code\")",
            "CREATE INDEX \"items_rank_idx\" ON \"t_acme\".\"items\" (\"rank\")");
  }

  @Test
  void addIndexAndDrop() {
    assertThat(CollectionDdl.addIndex("t_acme", "items", "price"))
        .isEqualTo("CREATE INDEX \"items_price_idx\" ON \"t_acme\".\"items\" (\"price\")");
    assertThat(CollectionDdl.drop("t_acme", "items"))
        .isEqualTo("DROP TABLE IF EXISTS \"t_acme\".\"items\" CASCADE");
  }

  @Test
  void checkAddableNeedsDefaultsForRequiredFieldsAndNoneForUniqueOnes() {
    List<FieldError> errors = new ArrayList<>();
    CollectionDdl.checkAddable(
        List.of(
            new FieldDefinition("a", FieldType.TEXT, true, false, false, "x"),
            new FieldDefinition("b", FieldType.TEXT, true, false, false, null),
            new FieldDefinition("c", FieldType.TEXT, false, true, false, null),
            new FieldDefinition("d", FieldType.TEXT, false, true, false, "x"),
            FieldDefinition.of("e", FieldType.TEXT)),
        errors);
    assertThat(errors)
        .containsExactly(
            new FieldError(
                "addFields[1].default",
                "is required for a required field added to an existing collection"),
            new FieldError(
                "addFields[3].default",
                "is not allowed for a unique field added to an existing collection"));
  }
}
