package io.plinth.tenantapi.collections;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectionPatchTest {

  private static final CollectionDefinition CURRENT =
      new CollectionDefinition(
          "items",
          List.of(
              FieldDefinition.of("title", FieldType.TEXT),
              new FieldDefinition("sku", FieldType.TEXT, false, true, false, null),
              new FieldDefinition("qty", FieldType.INTEGER, false, false, true, null),
              FieldDefinition.of("price", FieldType.NUMBER)),
          new Rules(Rule.AUTHENTICATED, Rule.SECRET));

  @Test
  void parsesAndAppliesAChange() {
    CollectionPatch patch =
        CollectionPatch.fromJson(
            new JsonObject(
                """
                {"addFields": [
                   {"name": "rank", "type": "integer", "required": true, "default": 0},
                   {"name": "tags", "type": "json", "indexed": true}
                 ],
                 "addIndexes": ["title", "sku"],
                 "rules": {"write": "owner"}}
                """),
            CURRENT);

    assertThat(patch.addFields())
        .containsExactly(
            new FieldDefinition("rank", FieldType.INTEGER, true, false, false, 0L),
            new FieldDefinition("tags", FieldType.JSON, false, false, true, null));
    assertThat(patch.addIndexes()).containsExactly("title", "sku");
    // Members left out keep their current value.
    assertThat(patch.rules()).isEqualTo(new Rules(Rule.AUTHENTICATED, Rule.OWNER));

    CollectionDefinition next = patch.apply(CURRENT);
    assertThat(next.name()).isEqualTo("items");
    assertThat(next.fields().stream().map(FieldDefinition::name))
        .containsExactly("title", "sku", "qty", "price", "rank", "tags");
    assertThat(next.field("title").orElseThrow().indexed()).isTrue();
    assertThat(next.field("sku").orElseThrow().indexed()).isTrue();
    assertThat(next.field("price").orElseThrow().indexed()).isFalse();
    assertThat(next.rules()).isEqualTo(new Rules(Rule.AUTHENTICATED, Rule.OWNER));
  }

  @Test
  void onlyFieldsWithoutAnIndexGetANewOne() {
    CollectionPatch patch =
        CollectionPatch.fromJson(
            new JsonObject("{\"addIndexes\":[\"sku\",\"qty\",\"price\"]}"), CURRENT);
    assertThat(patch.indexesToCreate(CURRENT)).containsExactly("price");
    assertThat(patch.indexesToCreate(patch.apply(CURRENT))).isEmpty();
  }

  @Test
  void anEmptyPatchChangesNothing() {
    CollectionPatch patch = CollectionPatch.fromJson(new JsonObject(), CURRENT);
    assertThat(patch.addFields()).isEmpty();
    assertThat(patch.addIndexes()).isEmpty();
    assertThat(patch.rules()).isNull();
    assertThat(patch.apply(CURRENT)).isEqualTo(CURRENT);
  }

  @Test
  void rulesAloneMayChange() {
    CollectionPatch patch =
        CollectionPatch.fromJson(
            new JsonObject("{\"rules\":{\"read\":\"public\",\"write\":\"authenticated\"}}"),
            CURRENT);
    CollectionDefinition next = patch.apply(CURRENT);
    assertThat(next.rules()).isEqualTo(new Rules(Rule.PUBLIC, Rule.AUTHENTICATED));
    assertThat(next.fields()).isEqualTo(CURRENT.fields());
  }

  @Test
  void reportsEveryProblemAtOnceWithPaths() {
    JsonObject body =
        new JsonObject(
            """
            {"addFields": [
               {"name": "n", "type": "float"},
               {"name": "title", "type": "text"},
               {"name": "must", "type": "text", "required": true},
               {"name": "code", "type": "text", "unique": true, "default": "x"},
               {"name": "n2", "type": "text", "extra": 1},
               {"name": "select", "type": "text"}
             ],
             "addIndexes": ["qty", "nope", 3, "qty", "created_at"],
             "rules": {"read": "nobody", "owner": "x"},
             "removeFields": ["price"]}
            """);

    assertThat(ValidationErrors.of(() -> CollectionPatch.fromJson(body, CURRENT)))
        .containsExactly(
            "addFields[0].type: must be one of text, integer, number, boolean, timestamp, uuid, json",
            "addFields[1].name: field already exists",
            "addFields[2].default: is required for a required field added to an existing collection",
            "addFields[3].default: is not allowed for a unique field added to an existing collection",
            "addFields[4].extra: unknown field",
            "addFields[5].name: is a reserved word",
            "addIndexes[1]: no such field in the collection",
            "addIndexes[2]: must be a string",
            "addIndexes[3]: duplicate index",
            "addIndexes[4]: no such field in the collection",
            "rules.read: must be one of public, authenticated, owner, secret",
            "rules.owner: unknown field",
            "removeFields: unknown field");
  }

  @Test
  void wrongShapes() {
    assertThat(
            ValidationErrors.of(
                () ->
                    CollectionPatch.fromJson(
                        new JsonObject("{\"addFields\":{},\"addIndexes\":\"qty\",\"rules\":[]}"),
                        CURRENT)))
        .containsExactly(
            "addFields: must be an array",
            "addIndexes: must be an array",
            "rules: must be an object");
  }

  @Test
  void duplicatesWithinTheAddedFields() {
    assertThat(
            ValidationErrors.of(
                () ->
                    CollectionPatch.fromJson(
                        new JsonObject(
                            "{\"addFields\":[{\"name\":\"a\",\"type\":\"text\"},"
                                + "{\"name\":\"a\",\"type\":\"integer\"}]}"),
                        CURRENT)))
        .containsExactly("addFields[1].name: duplicate field name");
  }

  @Test
  void aCollectionKeepsAtMostTheFieldsAnyPlanAllows() {
    int most = CollectionDefinition.MAX_FIELDS;
    List<FieldDefinition> fields = new ArrayList<>();
    for (int i = 0; i < most - 1; i++) {
      fields.add(FieldDefinition.of("f" + i, FieldType.TEXT));
    }
    CollectionDefinition nearlyFull = new CollectionDefinition("wide", fields, null);

    JsonObject one = new JsonObject().put("addFields", new JsonArray().add(field("x")));
    assertThat(CollectionPatch.fromJson(one, nearlyFull).apply(nearlyFull).fields()).hasSize(most);

    JsonObject two =
        new JsonObject().put("addFields", new JsonArray().add(field("x")).add(field("y")));
    assertThat(ValidationErrors.of(() -> CollectionPatch.fromJson(two, nearlyFull)))
        .containsExactly(
            "addFields: a collection has at most " + most + " fields; it has " + (most - 1));
  }

  private static JsonObject field(String name) {
    return new JsonObject().put("name", name).put("type", "text");
  }
}
