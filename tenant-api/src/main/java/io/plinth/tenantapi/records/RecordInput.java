package io.plinth.tenantapi.records;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.FieldDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a record sent by a client against its collection: every member must be a field of the
 * collection (system fields are not writable), every value must fit its field's type, and on insert
 * every required field without a default must be there. Problems are 422 with one entry per field.
 * The body is already JSON ({@code JsonBodies.value}): an object, or an array for a batch.
 */
public final class RecordInput {

  /** The most records one insert takes. */
  static final int MAX_BATCH = 1000;

  static final Set<String> SYSTEM_FIELDS =
      Set.of("id", "owner", "createdAt", "updatedAt", "version");

  private RecordInput() {}

  /**
   * The records of an insert, each as checked values by field name in the order the client sent
   * them: one object, or an array of 1 to {@value #MAX_BATCH} objects (all or nothing). The
   * problems of every record of a batch are reported at once, each field named after its index
   * ({@code [3].price}).
   *
   * @throws ProblemException 400 {@code invalid_batch} for an empty or overlong array, 422 {@code
   *     invalid_record} for records that do not fit the collection
   */
  public static List<Map<String, Object>> forInsert(CollectionDefinition collection, Object body) {
    if (body instanceof JsonObject one) {
      return List.of(check(collection, one, "", true));
    }
    JsonArray many = (JsonArray) body;
    if (many.isEmpty() || many.size() > MAX_BATCH) {
      throw new ProblemException(
          400, "invalid_batch", "send 1 to " + MAX_BATCH + " records in an array");
    }
    List<Map<String, Object>> values = new ArrayList<>();
    List<Problem.FieldError> errors = new ArrayList<>();
    for (int i = 0; i < many.size(); i++) {
      if (!(many.getValue(i) instanceof JsonObject record)) {
        errors.add(new Problem.FieldError("[" + i + "]", "must be an object"));
        continue;
      }
      try {
        values.add(check(collection, record, "[" + i + "].", true));
      } catch (ProblemException e) {
        errors.addAll(e.problem().errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          new Problem(
                  422,
                  "invalid_record",
                  "records do not fit collection '" + collection.name() + "'")
              .withErrors(errors));
    }
    return values;
  }

  public static Map<String, Object> forPatch(CollectionDefinition collection, JsonObject record) {
    Map<String, Object> values = check(collection, record, "", false);
    if (values.isEmpty()) {
      throw new ProblemException(
          new Problem(422, "invalid_record", "the patch changes no field")
              .withErrors(List.of(new Problem.FieldError("", "name at least one field"))));
    }
    return values;
  }

  private static Map<String, Object> check(
      CollectionDefinition collection, JsonObject record, String path, boolean insert) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Map<String, Object> values = new LinkedHashMap<>();
    for (String name : record.fieldNames()) {
      Optional<FieldDefinition> field = collection.field(name);
      if (SYSTEM_FIELDS.contains(name)) {
        errors.add(new Problem.FieldError(path + name, "is a system field and cannot be written"));
      } else if (field.isEmpty()) {
        errors.add(new Problem.FieldError(path + name, "is not a field of this collection"));
      } else {
        Object value = record.getValue(name);
        if (value == null && field.get().required()) {
          errors.add(new Problem.FieldError(path + name, "is required"));
          continue;
        }
        try {
          values.put(name, field.get().type().check(value));
        } catch (IllegalArgumentException e) {
          errors.add(new Problem.FieldError(path + name, e.getMessage()));
        }
      }
    }
    if (insert) {
      for (FieldDefinition field : collection.fields()) {
        if (field.required() && field.defaultValue() == null && !record.containsKey(field.name())) {
          errors.add(new Problem.FieldError(path + field.name(), "is required"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          new Problem(
                  422,
                  "invalid_record",
                  "the record does not fit collection '" + collection.name() + "'")
              .withErrors(errors));
    }
    return values;
  }
}
