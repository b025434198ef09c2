package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A collection to create: its name, fields and access rules. */
public final class CollectionDefinition {

  /** One field; {@code type} is one of text integer number boolean timestamp uuid json. */
  public record Field(
      String name,
      String type,
      boolean required,
      boolean unique,
      boolean indexed,
      Object defaultValue) {
    public static Field of(String name, String type) {
      return new Field(name, type, false, false, false, null);
    }

    public Field asRequired() {
      return new Field(name, type, true, unique, indexed, defaultValue);
    }

    public Field asUnique() {
      return new Field(name, type, required, true, indexed, defaultValue);
    }

    public Field asIndexed() {
      return new Field(name, type, required, unique, true, defaultValue);
    }

    public Field withDefault(Object value) {
      return new Field(name, type, required, unique, indexed, value);
    }
  }

  private final String name;
  private final List<Field> fields = new ArrayList<>();
  private String readRule;
  private String writeRule;

  private CollectionDefinition(String name) {
    this.name = name;
  }

  public static CollectionDefinition named(String name) {
    return new CollectionDefinition(name);
  }

  public CollectionDefinition field(Field field) {
    fields.add(field);
    return this;
  }

  public CollectionDefinition field(String fieldName, String type) {
    return field(Field.of(fieldName, type));
  }

  /** Rules: public, authenticated, owner or secret (the platform's default). */
  public CollectionDefinition rules(String read, String write) {
    this.readRule = read;
    this.writeRule = write;
    return this;
  }

  JsonNode toJson(ObjectMapper json) {
    ObjectNode body = json.createObjectNode().put("name", name);
    var list = body.putArray("fields");
    for (Field field : fields) {
      ObjectNode node = list.addObject().put("name", field.name()).put("type", field.type());
      // Only what differs from the platform's defaults, so the body reads like the contract's.
      if (field.required()) node.put("required", true);
      if (field.unique()) node.put("unique", true);
      if (field.indexed()) node.put("indexed", true);
      if (field.defaultValue() != null) node.set("default", json.valueToTree(field.defaultValue()));
    }
    if (readRule != null || writeRule != null) {
      ObjectNode rules = body.putObject("rules");
      if (readRule != null) rules.put("read", readRule);
      if (writeRule != null) rules.put("write", writeRule);
    }
    return body;
  }
}
