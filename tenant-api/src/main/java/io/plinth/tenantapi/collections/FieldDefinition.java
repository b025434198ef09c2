package io.plinth.tenantapi.collections;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One user field of a collection.
 *
 * @param defaultValue already passed through {@code type.check}: a Long, Double, OffsetDateTime, …
 *     or null for no default
 * @param unique a unique constraint, which also serves as the field's index
 */
public record FieldDefinition(
    String name,
    FieldType type,
    boolean required,
    boolean unique,
    boolean indexed,
    Object defaultValue) {

  public FieldDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** A plain optional field with no index and no default. */
  public static FieldDefinition of(String name, FieldType type) {
    return new FieldDefinition(name, type, false, false, false, null);
  }

  public FieldDefinition withIndexed(boolean indexed) {
    return new FieldDefinition(name, type, required, unique, indexed, defaultValue);
  }

  /** True when queries on this field can use an index (its own or the unique constraint's). */
  public boolean hasIndex() {
    return unique || indexed;
  }

  /** The wire form; {@code default} only when there is one. Reads back with the same parser. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("name", name)
            .put("type", type.wire())
            .put("required", required)
            .put("unique", unique)
            .put("indexed", indexed);
    if (defaultValue != null) {
      json.put("default", type.toJson(defaultValue));
    }
    return json;
  }
}
