package io.plinth.tenantapi.collections;

import io.plinth.platform.http.Problem.FieldError;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated {@code PATCH /collections/{c}}: fields to add, existing fields to index, new rules.
 *
 * @param rules the complete rules after the patch (members left out keep their value), or null when
 *     the request does not touch rules
 */
public record CollectionPatch(
    List<FieldDefinition> addFields, List<String> addIndexes, Rules rules) {

  private static final Set<String> MEMBERS = Set.of("addFields", "addIndexes", "rules");

  public CollectionPatch {
    addFields = List.copyOf(addFields);
    addIndexes = List.copyOf(addIndexes);
  }

  /**
   * Parses {@code {addFields?, addIndexes?, rules?:{read?, write?}}} against the collection as it
   * is now.
   *
   * @throws ProblemException 400 {@code validation_failed} listing every problem, with paths such
   *     as {@code addFields[0].name}, {@code addIndexes[1]}, {@code rules.read}
   */
  public static CollectionPatch fromJson(JsonObject body, CollectionDefinition current) {
    Objects.requireNonNull(current, "current");
    if (body == null) {
      throw new ProblemException(400, "invalid_body", "the body must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    List<FieldDefinition> added = addFields(body.getValue("addFields"), current, errors);
    List<String> indexes = addIndexes(body.getValue("addIndexes"), current, errors);
    Object rawRules = body.getValue("rules");
    Rules rules =
        rawRules == null ? null : Rules.fromJson(rawRules, "rules", current.rules(), errors);
    Validation.unknownMembers(body, MEMBERS, "", errors);
    ProblemException.failIfAny(errors, "the collection change is not valid");
    return new CollectionPatch(added, indexes, rules);
  }

  /** Parses {@code addFields}, adding its errors to {@code errors} in element order. */
  private static List<FieldDefinition> addFields(
      Object value, CollectionDefinition current, List<FieldError> errors) {
    List<FieldError> fieldErrors = new ArrayList<>();
    List<FieldDefinition> fields = addFieldsUnsorted(value, current, fieldErrors);
    // Stable sort: the per-element checks below run after parsing, but clients read by position.
    fieldErrors.sort(Comparator.comparingInt(e -> elementIndex(e.field())));
    errors.addAll(fieldErrors);
    return fields;
  }

  private static int elementIndex(String path) {
    int open = path.indexOf('[');
    return open < 0 ? -1 : Integer.parseInt(path.substring(open + 1, path.indexOf(']')));
  }

  private static List<FieldDefinition> addFieldsUnsorted(
      Object value, CollectionDefinition current, List<FieldError> errors) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      errors.add(new FieldError("addFields", "must be an array"));
      return List.of();
    }
    if (current.fields().size() + array.size() > CollectionDefinition.MAX_FIELDS) {
      errors.add(
          new FieldError(
              "addFields",
              "a collection has at most "
                  + CollectionDefinition.MAX_FIELDS
                  + " fields; it has "
                  + current.fields().size()));
    }
    List<FieldDefinition> fields = CollectionDefinition.fieldsFromJson(array, "addFields", errors);
    for (FieldDefinition field : fields) {
      // The parser leaves out bad elements, so find each field's own position for the path.
      String path = "addFields[" + position(array, field.name()) + "]";
      if (current.field(field.name()).isPresent()) {
        errors.add(new FieldError(path + ".name", "field already exists"));
      }
      CollectionDdl.checkAddable(field, path, errors);
    }
    return fields;
  }

  private static int position(JsonArray array, String name) {
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) instanceof JsonObject json && name.equals(json.getValue("name"))) {
        return i;
      }
    }
    throw new IllegalStateException("parsed field not in its array");
  }

  private static List<String> addIndexes(
      Object value, CollectionDefinition current, List<FieldError> errors) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      errors.add(new FieldError("addIndexes", "must be an array"));
      return List.of();
    }
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String path = "addIndexes[" + i + "]";
      if (!(array.getValue(i) instanceof String name)) {
        errors.add(new FieldError(path, "must be a string"));
      } else if (current.field(name).isEmpty()) {
        errors.add(new FieldError(path, "no such field in the collection"));
      } else if (!seen.add(name)) {
        errors.add(new FieldError(path, "duplicate index"));
      } else {
        names.add(name);
      }
    }
    return names;
  }

  /** The collection as it is once the patch is applied. */
  public CollectionDefinition apply(CollectionDefinition current) {
    CollectionDefinition next = current.withAddedFields(addFields).withIndexed(addIndexes);
    return rules == null ? next : next.withRules(rules);
  }

  /**
   * The fields of {@link #addIndexes} that need a new index: those already indexed, or unique
   * (their constraint is an index), need none, so repeating a request is harmless.
   */
  public List<String> indexesToCreate(CollectionDefinition current) {
    return addIndexes.stream()
        .filter(name -> current.field(name).map(f -> !f.hasIndex()).orElse(false))
        .toList();
  }
}
