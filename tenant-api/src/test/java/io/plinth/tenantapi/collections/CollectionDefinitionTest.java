package io.plinth.tenantapi.collections;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CollectionDefinitionTest {

  private static final String NAME_RULE =
      "must be 1 to 63 characters: a lowercase letter, then lowercase letters, digits or '_'";

  @Test
  void parsesAFullDefinition() {
    CollectionDefinition c =
        CollectionDefinition.fromJson(
            new JsonObject(
                """
                {"name": "items",
                 "fields": [
                   {"name": "title", "type": "text", "required": true, "default": "it's"},
                   {"name": "qty", "type": "integer", "indexed": true, "default": 0},
                   {"name": "price", "type": "number", "default": 9.5},
                   {"name": "done", "type": "boolean", "default": false},
                   {"name": "due", "type": "timestamp", "default": "2026-01-01T00:00:00+01:00"},
                   {"name": "sku", "type": "uuid", "unique": true,
                    "default": "0193a5c2-7d1e-7abc-9def-0123456789ab"},
                   {"name": "meta", "type": "json", "default": {"a": [1, "x"]}}
                 ],
                 "rules": {"read": "public", "write": "owner"}}
                """));

    assertThat(c.name()).isEqualTo("items");
    assertThat(c.rules()).isEqualTo(new Rules(Rule.PUBLIC, Rule.OWNER));
    assertThat(c.fields())
        .containsExactly(
            new FieldDefinition("title", FieldType.TEXT, true, false, false, "it's"),
            new FieldDefinition("qty", FieldType.INTEGER, false, false, true, 0L),
            new FieldDefinition("price", FieldType.NUMBER, false, false, false, 9.5d),
            new FieldDefinition("done", FieldType.BOOLEAN, false, false, false, false),
            new FieldDefinition(
                "due",
                FieldType.TIMESTAMP,
                false,
                false,
                false,
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(1))),
            new FieldDefinition(
                "sku",
                FieldType.UUID,
                false,
                true,
                false,
                UUID.fromString("0193a5c2-7d1e-7abc-9def-0123456789ab")),
            new FieldDefinition(
                "meta",
                FieldType.JSON,
                false,
                false,
                false,
                new JsonObject().put("a", new JsonArray().add(1).add("x"))));
  }

  @Test
  void rulesDefaultToSecretAndFieldsMayBeEmpty() {
    CollectionDefinition c =
        CollectionDefinition.fromJson(new JsonObject("{\"name\":\"notes\",\"fields\":[]}"));
    assertThat(c.fields()).isEmpty();
    assertThat(c.rules()).isEqualTo(Rules.DEFAULT);
    assertThat(Rules.DEFAULT).isEqualTo(new Rules(Rule.SECRET, Rule.SECRET));
  }

  @Test
  void flagsDefaultToFalseAndARequiredFieldNeedsNoDefault() {
    CollectionDefinition c =
        CollectionDefinition.fromJson(
            new JsonObject(
                "{\"name\":\"notes\",\"fields\":[{\"name\":\"body\",\"type\":\"text\","
                    + "\"required\":true,\"default\":null}]}"));
    assertThat(c.fields())
        .containsExactly(new FieldDefinition("body", FieldType.TEXT, true, false, false, null));
  }

  @Test
  void reportsEveryProblemAtOnceWithPaths() {
    JsonObject body =
        new JsonObject(
            """
            {"name": "select",
             "fields": [
               {"name": "title", "type": "varchar"},
               {"name": "created_at", "type": "timestamp"},
               {"name": "title", "type": "text"},
               {"name": "n", "type": "integer", "indexd": true},
               {"name": "m", "type": "integer", "default": 1.0},
               {"name": "Bad", "type": "text", "required": "yes"},
               "oops",
               {"type": "text"}
             ],
             "rules": {"read": "everyone", "write": "secret", "delete": "secret"},
             "extra": 1}
            """);

    assertThat(ValidationErrors.of(() -> CollectionDefinition.fromJson(body)))
        .containsExactly(
            "name: is a reserved word",
            "fields[0].type: must be one of text, integer, number, boolean, timestamp, uuid, json",
            "fields[1].name: is reserved for system fields",
            "fields[2].name: duplicate field name",
            "fields[3].indexd: unknown field",
            "fields[4].default: expected an integer",
            "fields[5].name: " + NAME_RULE,
            "fields[5].required: must be a boolean",
            "fields[6]: must be an object",
            "fields[7].name: is required",
            "rules.read: must be one of public, authenticated, owner, secret",
            "rules.delete: unknown field",
            "extra: unknown field");
  }

  @Test
  void requiredMembers() {
    assertThat(ValidationErrors.of(() -> CollectionDefinition.fromJson(new JsonObject())))
        .containsExactly("name: is required", "fields: is required");
    assertThat(
            ValidationErrors.of(
                () ->
                    CollectionDefinition.fromJson(
                        new JsonObject(
                            "{\"name\":5,\"fields\":{},\"rules\":{\"read\":\"public\"}}"))))
        .containsExactly(
            "name: must be a string", "fields: must be an array", "rules.write: is required");
    assertThat(
            ValidationErrors.of(
                () ->
                    CollectionDefinition.fromJson(
                        new JsonObject("{\"name\":\"a\",\"fields\":[],\"rules\":\"public\"}"))))
        .containsExactly("rules: must be an object");
  }

  @Test
  void collectionNamesFollowTheFieldNameRules() {
    for (String name : List.of("user", "pg_items", "plinth_x", "version", "Items")) {
      assertThat(
              ValidationErrors.of(
                  () ->
                      CollectionDefinition.fromJson(
                          new JsonObject().put("name", name).put("fields", new JsonArray()))))
          .singleElement()
          .asString()
          .startsWith("name: ");
    }
  }

  @Test
  void atMostTheFieldsAnyPlanAllows() {
    int most = CollectionDefinition.MAX_FIELDS;
    assertThat(CollectionDefinition.fromJson(withFields(most)).fields()).hasSize(most);
    assertThat(ValidationErrors.of(() -> CollectionDefinition.fromJson(withFields(most + 1))))
        .containsExactly("fields: at most " + most + " fields");
  }

  @Test
  void everyBadDefaultIsReported() {
    JsonObject body =
        new JsonObject(
            """
            {"name": "d", "fields": [
              {"name": "a", "type": "text", "default": 1},
              {"name": "b", "type": "number", "default": "NaN"},
              {"name": "c", "type": "boolean", "default": "true"},
              {"name": "e", "type": "timestamp", "default": "2026-01-01"},
              {"name": "f", "type": "uuid", "default": "nope"},
              {"name": "g", "type": "integer", "default": 9223372036854775808}
            ]}
            """);
    assertThat(ValidationErrors.of(() -> CollectionDefinition.fromJson(body)))
        .containsExactly(
            "fields[0].default: expected a string",
            "fields[1].default: expected a number",
            "fields[2].default: expected a boolean",
            "fields[3].default: expected an RFC 3339 timestamp with offset",
            "fields[4].default: expected a UUID",
            "fields[5].default: integer out of range (64-bit)");
  }

  @Test
  void toJsonReadsBackToTheSameDefinition() {
    CollectionDefinition c =
        CollectionDefinition.fromJson(
            new JsonObject(
                """
                {"name": "items",
                 "fields": [
                   {"name": "title", "type": "text", "required": true, "unique": true},
                   {"name": "due", "type": "timestamp", "default": "2026-01-01T00:00:00.5+01:00"},
                   {"name": "sku", "type": "uuid", "indexed": true,
                    "default": "0193A5C2-7D1E-7ABC-9DEF-0123456789AB"},
                   {"name": "meta", "type": "json", "default": [1, {"b": null}]}
                 ],
                 "rules": {"read": "authenticated", "write": "secret"}}
                """));

    JsonObject json = c.toJson();
    assertThat(json.getJsonObject("rules"))
        .isEqualTo(new JsonObject().put("read", "authenticated").put("write", "secret"));
    assertThat(json.getJsonArray("fields").getJsonObject(0))
        .isEqualTo(
            new JsonObject()
                .put("name", "title")
                .put("type", "text")
                .put("required", true)
                .put("unique", true)
                .put("indexed", false));
    assertThat(json.getJsonArray("fields").getJsonObject(1).getString("default"))
        .isEqualTo("2026-01-01T00:00:00.5+01:00");
    assertThat(json.getJsonArray("fields").getJsonObject(2).getString("default"))
        .isEqualTo("0193a5c2-7d1e-7abc-9def-0123456789ab");
    // Through text, as when the definition is stored and read back.
    assertThat(CollectionDefinition.fromJson(new JsonObject(json.encode()))).isEqualTo(c);
  }

  @Test
  void jsonDefaultsAreCopiedFromTheRequest() {
    JsonObject body =
        new JsonObject(
            "{\"name\":\"a\",\"fields\":[{\"name\":\"m\",\"type\":\"json\",\"default\":{\"k\":1}}]}");
    CollectionDefinition c = CollectionDefinition.fromJson(body);
    body.getJsonArray("fields").getJsonObject(0).getJsonObject("default").put("k", 2);
    assertThat(c.fields().get(0).defaultValue()).isEqualTo(new JsonObject().put("k", 1));
  }

  @Test
  void withersBuildTheNextDefinition() {
    CollectionDefinition c =
        new CollectionDefinition("a", List.of(FieldDefinition.of("x", FieldType.TEXT)), null);
    CollectionDefinition next =
        c.withAddedFields(List.of(FieldDefinition.of("y", FieldType.INTEGER)))
            .withIndexed(List.of("x"))
            .withRules(new Rules(Rule.PUBLIC, Rule.SECRET));
    assertThat(next.fields())
        .containsExactly(
            new FieldDefinition("x", FieldType.TEXT, false, false, true, null),
            FieldDefinition.of("y", FieldType.INTEGER));
    assertThat(next.rules().read()).isEqualTo(Rule.PUBLIC);
    assertThat(c.fields().get(0).indexed()).isFalse();
    assertThat(next.field("y")).isPresent();
    assertThat(next.field("z")).isEmpty();
  }

  private static JsonObject withFields(int count) {
    JsonArray fields = new JsonArray();
    for (int i = 0; i < count; i++) {
      fields.add(new JsonObject().put("name", "f" + i).put("type", "text"));
    }
    return new JsonObject().put("name", "wide").put("fields", fields);
  }
}
