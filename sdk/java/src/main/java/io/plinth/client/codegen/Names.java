package io.plinth.client.codegen;

import java.util.Locale;
import java.util.Set;

/**
 * How the platform's names become Java names. A collection's name becomes its record's type name in
 * PascalCase, word by word at each {@code _}, not made singular ({@code blog_posts} -> {@code
 * BlogPosts}); a field's name becomes its component's name in camelCase ({@code published_at} ->
 * {@code publishedAt}), the JSON name staying in {@code @JsonProperty}; a field's constant is its
 * name in upper case ({@code PUBLISHED_AT}). A name that would be a Java keyword, a restricted
 * identifier or a method every record has ({@code hashCode}, ...) gets a trailing {@code _}.
 */
public final class Names {

  private static final Set<String> RESERVED =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "_",
          "var",
          "yield",
          "record",
          "sealed",
          "permits",
          "when",
          "exports",
          "module",
          // a record's component may not be named as these methods
          "clone",
          "finalize",
          "getClass",
          "hashCode",
          "notify",
          "notifyAll",
          "toString",
          "wait");

  /**
   * Type names the generated record cannot take: its nested class of constants is {@code Fields}.
   */
  private static final Set<String> RESERVED_TYPES = Set.of("Fields");

  private Names() {}

  /** {@code blog_posts} -> {@code BlogPosts}. */
  public static String typeName(String collection) {
    String pascal = capitalize(camel(collection));
    return RESERVED_TYPES.contains(pascal) ? pascal + "_" : pascal;
  }

  /** {@code published_at} -> {@code publishedAt}; {@code class} -> {@code class_}. */
  public static String memberName(String field) {
    String camel = camel(field);
    return RESERVED.contains(camel) ? camel + "_" : camel;
  }

  /** {@code published_at} -> {@code PUBLISHED_AT}; {@code createdAt} -> {@code CREATED_AT}. */
  public static String constantName(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** Whether {@code name} can be a segment of a Java package name. */
  public static boolean isPackageSegment(String name) {
    return name.matches("[A-Za-z_$][A-Za-z0-9_$]*") && !RESERVED.contains(name);
  }

  private static String camel(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = out.length() > 0;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    if (out.length() == 0 || !Character.isJavaIdentifierStart(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString();
  }

  private static String capitalize(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
