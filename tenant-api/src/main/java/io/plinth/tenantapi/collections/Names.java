package io.plinth.tenantapi.collections;

import io.plinth.platform.db.SqlIdentifiers;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for collection and field names. They become PostgreSQL identifiers (always quoted, see
 * {@link io.plinth.platform.db.SqlIdentifiers#quote}) and query-string keys, so they are kept
 * plain.
 */
public final class Names {

  /** Lowercase, starts with a letter, at most 63 characters (PostgreSQL's NAMEDATALEN - 1). */
  public static final Pattern NAME = SqlIdentifiers.SAFE;

  /** The record columns every collection has; clients see them as id, owner, createdAt, … */
  public static final Set<String> SYSTEM_NAMES =
      Set.of("id", "owner", "createdat", "updatedat", "version", "created_at", "updated_at");

  /**
   * Query-string parameters of the records API: a field with one of these names could not be
   * filtered, so fields may not take them.
   */
  public static final Set<String> QUERY_PARAMETERS =
      Set.of("order", "limit", "after", "select", "count");

  /** Prefixes kept for Plinth and for PostgreSQL's own objects. */
  public static final Set<String> SYSTEM_PREFIXES = Set.of("plinth_", "pg_");

  /**
   * PostgreSQL's reserved key words: category R ("reserved") and T ("reserved, can be function or
   * type name") of {@code pg_get_keywords()} in PostgreSQL 15, plus {@code system_user} (reserved
   * since 16). Quoting would make them legal identifiers, but they stay refused so names read the
   * same in SQL, in query strings and in client code.
   */
  public static final Set<String> RESERVED_WORDS =
      Set.of(
          "all",
          "analyse",
          "analyze",
          "and",
          "any",
          "array",
          "as",
          "asc",
          "asymmetric",
          "authorization",
          "binary",
          "both",
          "case",
          "cast",
          "check",
          "collate",
          "collation",
          "column",
          "concurrently",
          "constraint",
          "create",
          "cross",
          "current_catalog",
          "current_date",
          "current_role",
          "current_schema",
          "current_time",
          "current_timestamp",
          "current_user",
          "default",
          "deferrable",
          "desc",
          "distinct",
          "do",
          "else",
          "end",
          "except",
          "false",
          "fetch",
          "for",
          "foreign",
          "freeze",
          "from",
          "full",
          "grant",
          "group",
          "having",
          "ilike",
          "in",
          "initially",
          "inner",
          "intersect",
          "into",
          "is",
          "isnull",
          "join",
          "lateral",
          "leading",
          "left",
          "like",
          "limit",
          "localtime",
          "localtimestamp",
          "natural",
          "not",
          "notnull",
          "null",
          "offset",
          "on",
          "only",
          "or",
          "order",
          "outer",
          "overlaps",
          "placing",
          "primary",
          "references",
          "returning",
          "right",
          "select",
          "session_user",
          "similar",
          "some",
          "symmetric",
          "system_user",
          "table",
          "tablesample",
          "then",
          "to",
          "trailing",
          "true",
          "union",
          "unique",
          "user",
          "using",
          "variadic",
          "verbose",
          "when",
          "where",
          "window",
          "with");

  private Names() {}

  /** Why {@code name} cannot name a collection or a field, or empty when it can. */
  public static Optional<String> problem(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.of(
          "must be 1 to 63 characters: a lowercase letter, then lowercase letters, digits or '_'");
    }
    if (RESERVED_WORDS.contains(name)) {
      return Optional.of("is a reserved word");
    }
    if (SYSTEM_NAMES.contains(name) || SYSTEM_PREFIXES.stream().anyMatch(name::startsWith)) {
      return Optional.of("is reserved for system fields");
    }
    return Optional.empty();
  }
}
