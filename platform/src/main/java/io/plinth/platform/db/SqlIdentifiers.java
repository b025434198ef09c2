package io.plinth.platform.db;

import java.util.regex.Pattern;

/**
 * The one place SQL identifiers are written. Every schema, table and column name that reaches SQL
 * text goes through {@link #quote}: names were validated where they came in (slugs, collection and
 * field names), and this second check keeps a missed one from becoming SQL injection. Values are
 * never written into SQL text; they are bound parameters.
 */
public final class SqlIdentifiers {

  /** Lowercase, starts with a letter, at most 63 characters (PostgreSQL's NAMEDATALEN - 1). */
  public static final Pattern SAFE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /** PostgreSQL truncates identifiers past NAMEDATALEN - 1 bytes; names are ASCII here. */
  public static final int MAX_LENGTH = 63;

  private SqlIdentifiers() {}

  /**
   * {@code "identifier"}, after checking it against {@link #SAFE}.
   *
   * @throws IllegalArgumentException for anything else: a bug upstream, never client input
   */
  public static String quote(String identifier) {
    if (identifier == null || !SAFE.matcher(identifier).matches()) {
      throw new IllegalArgumentException("not a safe SQL identifier");
    }
    return '"' + identifier + '"';
  }

  /** {@code "schema"."table"}, both checked. */
  public static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /**
   * A checked identifier as a SQL string literal, for catalog functions that take a name as text
   * ({@code to_regclass}, {@code format('%I', …)}): the same check as {@link #quote}, so no quote
   * character can be in it.
   */
  public static String literal(String identifier) {
    quote(identifier);
    return "'" + identifier + "'";
  }
}
