package io.plinth.tenantapi.collections;

import io.plinth.platform.http.Problem.FieldError;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's collection: its name (also its table's name), its user fields in order, and its rules.
 * System fields (id, owner, createdAt, updatedAt, version) are implied and never listed.
 */
public record CollectionDefinition(String name, List<FieldDefinition> fields, Rules rules) {

  /** The most fields any plan may allow; each tenant's plan sets its own, lower or equal. */
  public static final int MAX_FIELDS = 200;

  private static final Set<String> MEMBERS = Set.of("name", "fields", "rules");
  private static final Set<String> FIELD_MEMBERS =
      Set.of("name", "type", "required", "unique", "indexed", "default");

  public CollectionDefinition {
    Objects.requireNonNull(name, "name");
    fields = List.copyOf(fields);
    rules = rules == null ? Rules.DEFAULT : rules;
    Set<String> seen = new HashSet<>();
    for (FieldDefinition field : fields) {
      if (!seen.add(field.name())) {
        throw new IllegalArgumentException("duplicate field " + field.name());
      }
    }
  }

  /**
   * Parses a create request {@code {name, fields, rules?}}. Also reads back {@link #toJson()}.
   *
   * @throws ProblemException 400 {@code validation_failed} listing every problem, with paths such
   *     as {@code name}, {@code fields[2].type}, {@code rules.read}
   */
  public static CollectionDefinition fromJson(JsonObject body) {
    if (body == null) {
      throw new ProblemException(400, "invalid_body", "the body must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    String name = name(body.getValue("name"), "name", errors);

    List<FieldDefinition> fields = List.of();
    Object rawFields = body.getValue("fields");
    if (rawFields == null) {
      errors.add(new FieldError("fields", "is required"));
    } else if (!(rawFields instanceof JsonArray array)) {
      errors.add(new FieldError("fields", "must be an array"));
    } else {
      if (array.size() > MAX_FIELDS) {
        errors.add(new FieldError("fields", "at most " + MAX_FIELDS + " fields"));
      }
      fields = fieldsFromJson(array, "fields", errors);
    }

    Object rawRules = body.getValue("rules");
    Rules rules =
        rawRules == null ? Rules.DEFAULT : Rules.fromJson(rawRules, "rules", null, errors);

    Validation.unknownMembers(body, MEMBERS, "", errors);
    ProblemException.failIfAny(errors, "the collection is not valid");
    return new CollectionDefinition(name, fields, rules);
  }

  /**
   * Parses an array of field definitions, adding every problem to {@code errors} with paths {@code
   * <pathPrefix>[i].<member>}. Repeated names are reported on the later occurrence.
   *
   * @return the valid definitions in order; elements with problems are left out, so the result only
   *     lines up with the array when no error was added
   */
  public static List<FieldDefinition> fieldsFromJson(
      JsonArray array, String pathPrefix, List<FieldError> errors) {
    List<FieldDefinition> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      FieldDefinition field =
          fieldFromJson(array.getValue(i), pathPrefix + "[" + i + "]", seen, errors);
      if (field != null) {
        fields.add(field);
      }
    }
    return fields;
  }

  private static FieldDefinition fieldFromJson(
      Object value, String path, Set<String> seen, List<FieldError> errors) {
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError(path, "must be an object"));
      return null;
    }
    int before = errors.size();
    String namePath = Validation.path(path, "name");
    String name = name(json.getValue("name"), namePath, errors);
    if (name != null && Names.QUERY_PARAMETERS.contains(name)) {
      errors.add(new FieldError(namePath, "is a query parameter of the records API"));
      name = null;
    }
    if (name != null && !seen.add(name)) {
      errors.add(new FieldError(namePath, "duplicate field name"));
    }

    FieldType type = null;
    Object rawType = json.getValue("type");
    if (rawType == null) {
      errors.add(new FieldError(Validation.path(path, "type"), "is required"));
    } else {
      type = rawType instanceof String s ? FieldType.fromWire(s).orElse(null) : null;
      if (type == null) {
        errors.add(
            new FieldError(
                Validation.path(path, "type"), "must be one of " + FieldType.wireNames()));
      }
    }

    boolean required = Validation.flag(json, "required", path, errors);
    boolean unique = Validation.flag(json, "unique", path, errors);
    boolean indexed = Validation.flag(json, "indexed", path, errors);

    Object defaultValue = null;
    Object rawDefault = json.getValue("default");
    if (rawDefault != null && type != null) {
      try {
        defaultValue = type.check(rawDefault);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError(Validation.path(path, "default"), e.getMessage()));
      }
    }

    Validation.unknownMembers(json, FIELD_MEMBERS, path, errors);
    if (errors.size() != before) {
      return null;
    }
    return new FieldDefinition(name, type, required, unique, indexed, copyJson(defaultValue));
  }

  /** A collection or field name, or null after adding why it is not one. */
  private static String name(Object value, String path, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(path, "is required"));
      return null;
    }
    if (!(value instanceof String name)) {
      errors.add(new FieldError(path, "must be a string"));
      return null;
    }
    Optional<String> problem = Names.problem(name);
    problem.ifPresent(p -> errors.add(new FieldError(path, p)));
    return problem.isPresent() ? null : name;
  }

  /** The definition keeps its own copy of a JSON default: the request body stays the caller's. */
  private static Object copyJson(Object value) {
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    if (value instanceof JsonArray array) {
      return array.copy();
    }
    return value;
  }

  public Optional<FieldDefinition> field(String fieldName) {
    return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
  }

  public CollectionDefinition withAddedFields(List<FieldDefinition> added) {
    List<FieldDefinition> all = new ArrayList<>(fields);
    all.addAll(added);
    return new CollectionDefinition(name, all, rules);
  }

  /** Marks the named fields indexed; unknown names are ignored (the patch validated them). */
  public CollectionDefinition withIndexed(Collection<String> fieldNames) {
    List<FieldDefinition> all =
        fields.stream().map(f -> fieldNames.contains(f.name()) ? f.withIndexed(true) : f).toList();
    return new CollectionDefinition(name, all, rules);
  }

  public CollectionDefinition withRules(Rules newRules) {
    return new CollectionDefinition(name, fields, newRules);
  }

  /** {@code {name, fields:[…], rules:{read, write}}} with wire type and rule names. */
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    fields.forEach(f -> array.add(f.toJson()));
    return new JsonObject().put("name", name).put("fields", array).put("rules", rules.toJson());
  }
}
