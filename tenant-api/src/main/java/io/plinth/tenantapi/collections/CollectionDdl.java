package io.plinth.tenantapi.collections;

import static io.plinth.platform.db.SqlIdentifiers.qualified;
import static io.plinth.platform.db.SqlIdentifiers.quote;

import io.plinth.platform.db.SqlIdentifiers;
import io.plinth.platform.http.Problem.FieldError;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * SQL text for a collection's table in a tenant schema. Every identifier goes through {@link
 * SqlIdentifiers#quote}, and default values are rendered from checked values only, so no client
 * text reaches the SQL unvalidated. Statements are meant to run in one transaction.
 */
public final class CollectionDdl {

  /**
   * Run first in the DDL transaction: default literals rely on standard_conforming_strings (the
   * PostgreSQL default), and this keeps them safe even where a server was configured otherwise.
   */
  public static final String SESSION_SETUP = "SET LOCAL standard_conforming_strings = on";

  private static final int HASH_HEX = 8;

  private CollectionDdl() {}

  /** The statements creating the table, its unique constraints and its indexes. */
  public static List<String> create(String schema, CollectionDefinition collection) {
    String table = collection.name();
    String target = qualified(schema, table);
    StringBuilder columns =
        new StringBuilder()
            .append(quote("id"))
            .append(" uuid PRIMARY KEY, ")
            .append(quote("owner"))
            .append(" text, ")
            .append(quote("created_at"))
            .append(" timestamptz NOT NULL DEFAULT now(), ")
            .append(quote("updated_at"))
            .append(" timestamptz NOT NULL DEFAULT now(), ")
            .append(quote("version"))
            .append(" bigint NOT NULL DEFAULT 1");
    for (FieldDefinition field : collection.fields()) {
      columns.append(", ").append(column(field));
    }
    List<String> sql = new ArrayList<>();
    sql.add("CREATE TABLE " + target + " (" + columns + ")");
    sql.addAll(constraintsAndIndexes(schema, table, collection.fields()));
    // Keyset pagination in creation order, and the owner rule's filter.
    sql.add(
        "CREATE INDEX "
            + quote(boundedName(table + "_created_idx"))
            + " ON "
            + target
            + " ("
            + quote("created_at")
            + ", "
            + quote("id")
            + ")");
    sql.add(
        "CREATE INDEX "
            + quote(boundedName(table + "_owner_idx"))
            + " ON "
            + target
            + " ("
            + quote("owner")
            + ", "
            + quote("id")
            + ")");
    return sql;
  }

  /**
   * The statements adding fields to an existing table. The caller has run {@link #checkAddable}
   * first: existing rows need a value for NOT NULL columns.
   */
  public static List<String> addFields(String schema, String table, List<FieldDefinition> fields) {
    String target = qualified(schema, table);
    List<String> sql = new ArrayList<>();
    for (FieldDefinition field : fields) {
      sql.add("ALTER TABLE " + target + " ADD COLUMN " + column(field));
    }
    sql.addAll(constraintsAndIndexes(schema, table, fields));
    return sql;
  }

  /** Adds what makes fields unfit for a table that may already hold records, at addFields[i]. */
  public static void checkAddable(List<FieldDefinition> fields, List<FieldError> errors) {
    for (int i = 0; i < fields.size(); i++) {
      checkAddable(fields.get(i), "addFields[" + i + "]", errors);
    }
  }

  /** {@link #checkAddable(List, List)} for one field whose request path is {@code path}. */
  public static void checkAddable(FieldDefinition field, String path, List<FieldError> errors) {
    String at = Validation.path(path, "default");
    if (field.required() && field.defaultValue() == null) {
      errors.add(
          new FieldError(at, "is required for a required field added to an existing collection"));
    }
    if (field.unique() && field.defaultValue() != null) {
      // Every existing record would get the same value and break the constraint.
      errors.add(
          new FieldError(at, "is not allowed for a unique field added to an existing collection"));
    }
  }

  public static String addIndex(String schema, String table, String field) {
    return "CREATE INDEX "
        + quote(indexName(table, field))
        + " ON "
        + qualified(schema, table)
        + " ("
        + quote(field)
        + ")";
  }

  public static String drop(String schema, String table) {
    return "DROP TABLE IF EXISTS " + qualified(schema, table) + " CASCADE";
  }

  /** The unique constraint's name for {@code field}: {@code <table>_<field>_key}, bounded. */
  public static String uniqueConstraintName(String table, String field) {
    return boundedName(table + "_" + field + "_key");
  }

  /** The index name for {@code field}: {@code <table>_<field>_idx}, bounded. */
  public static String indexName(String table, String field) {
    String name = table + "_" + field + "_idx";
    // A field named "created" would take the name of the system index on (created_at, id).
    return field.equals("created") ? hashedName(name, table + "." + field) : boundedName(name);
  }

  /**
   * {@code name} when it fits in {@value #SqlIdentifiers.MAX_LENGTH} characters; otherwise its
   * first 54 characters, '_' and 8 hex digits of its SHA-256, so long names that share a prefix
   * still differ.
   */
  public static String boundedName(String name) {
    return name.length() <= SqlIdentifiers.MAX_LENGTH ? name : hashedName(name, name);
  }

  private static String hashedName(String name, String hashInput) {
    String head =
        name.substring(0, Math.min(name.length(), SqlIdentifiers.MAX_LENGTH - 1 - HASH_HEX));
    return head + "_" + sha256Hex(hashInput).substring(0, HASH_HEX);
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * Takes every row of a table about to be dropped off the tenant's row count (see {@code
   * RowCounting}); run it holding the table's lock, so no insert lands in between.
   */
  public static String countRowsOff(String schema, String table) {
    return "SELECT "
        + quote(schema)
        + ".plinth_count_rows(-(SELECT count(*) FROM "
        + qualified(schema, table)
        + "), 0)";
  }

  private static List<String> constraintsAndIndexes(
      String schema, String table, List<FieldDefinition> fields) {
    String target = qualified(schema, table);
    List<String> sql = new ArrayList<>();
    for (FieldDefinition field : fields) {
      if (field.unique()) {
        sql.add(
            "ALTER TABLE "
                + target
                + " ADD CONSTRAINT "
                + quote(uniqueConstraintName(table, field.name()))
                + " UNIQUE ("
                + quote(field.name())
                + ")");
      }
    }
    for (FieldDefinition field : fields) {
      if (field.indexed() && !field.unique()) { // the unique constraint's index serves queries
        sql.add(addIndex(schema, table, field.name()));
      }
    }
    return sql;
  }

  private static String column(FieldDefinition field) {
    StringBuilder sql =
        new StringBuilder(quote(field.name())).append(' ').append(field.type().pgType());
    if (field.required()) {
      sql.append(" NOT NULL");
    }
    if (field.defaultValue() != null) {
      sql.append(" DEFAULT ").append(literal(field.type(), field.defaultValue()));
    }
    return sql.toString();
  }

  /**
   * A SQL literal for a default value. The value goes through {@link FieldType#check} once more
   * (via its JSON form), so only values of the column's type are ever rendered.
   */
  static String literal(FieldType type, Object value) {
    Object checked = type.check(type.toJson(value));
    return switch (type) {
      case TEXT -> stringLiteral((String) checked) + "::text";
      case INTEGER -> Long.toString((Long) checked);
      case NUMBER -> Double.toString((Double) checked); // finite: check refused NaN and infinities
      case BOOLEAN -> ((Boolean) checked) ? "true" : "false";
      case TIMESTAMP ->
          stringLiteral(FieldType.formatTimestamp((java.time.OffsetDateTime) checked))
              + "::timestamptz";
      case UUID -> stringLiteral(checked.toString()) + "::uuid";
      case JSON -> stringLiteral(jsonText(checked)) + "::jsonb";
    };
  }

  private static String jsonText(Object value) {
    if (value instanceof JsonObject object) {
      return object.encode();
    }
    if (value instanceof JsonArray array) {
      return array.encode();
    }
    return Json.encode(value); // a scalar: "text" with JSON escapes, 12, true
  }

  /**
   * A standard SQL string literal: quotes doubled, nothing else escaped. That is exact with
   * standard_conforming_strings on (PostgreSQL's default since 9.1, and {@link #SESSION_SETUP}):
   * backslashes are then ordinary characters in '…' literals.
   */
  public static String stringLiteral(String text) {
    if (text.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException("PostgreSQL strings cannot contain NUL");
    }
    return "'" + text.replace("'", "''") + "'";
  }
}
