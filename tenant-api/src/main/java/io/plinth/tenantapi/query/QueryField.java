package io.plinth.tenantapi.query;

import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.tenantapi.collections.CollectionDefinition;
import io.plinth.tenantapi.collections.FieldDefinition;
import io.plinth.tenantapi.collections.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A field a query can filter, order or select: a system field or one of the collection's fields.
 *
 * @param name the API name, as in query strings and record JSON ({@code createdAt})
 * @param column the table column ({@code created_at}); for collection fields the same as name
 * @param nullable false only for the system columns declared NOT NULL (id, createdAt, updatedAt,
 *     version): their ORDER BY and keyset predicate leave out the NULL handling, so the existing
 *     indexes serve both directions. Collection fields always count as nullable.
 */
public record QueryField(String name, String column, FieldType type, boolean nullable) {

  public static final QueryField ID = new QueryField("id", "id", FieldType.UUID, false);
  public static final QueryField OWNER = new QueryField("owner", "owner", FieldType.TEXT, true);
  public static final QueryField CREATED_AT =
      new QueryField("createdAt", "created_at", FieldType.TIMESTAMP, false);
  public static final QueryField UPDATED_AT =
      new QueryField("updatedAt", "updated_at", FieldType.TIMESTAMP, false);
  public static final QueryField VERSION =
      new QueryField("version", "version", FieldType.INTEGER, false);

  /** The system fields in the order records show them. */
  public static final List<QueryField> SYSTEM = List.of(ID, OWNER, CREATED_AT, UPDATED_AT, VERSION);

  public QueryField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(type, "type");
  }

  public static QueryField of(FieldDefinition field) {
    return new QueryField(field.name(), field.name(), field.type(), true);
  }

  /** The system field or collection field with this API name. */
  public static Optional<QueryField> resolve(CollectionDefinition collection, String name) {
    for (QueryField system : SYSTEM) {
      if (system.name.equals(name)) {
        return Optional.of(system);
      }
    }
    return collection.field(name).map(QueryField::of);
  }

  /** Every field of a record: the system fields, then the collection's fields in order. */
  public static List<QueryField> all(CollectionDefinition collection) {
    List<QueryField> all = new ArrayList<>(SYSTEM);
    collection.fields().forEach(f -> all.add(of(f)));
    return all;
  }

  /** The column as a quoted SQL identifier. */
  public String sql() {
    return SqlIdentifiers.quote(column);
  }
}
