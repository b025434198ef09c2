package io.plinth.client.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Source code for a tenant's collections: per collection a Java record that Jackson reads a record
 * into (with a nested class {@code Fields} of its field names, for queries), and TypeScript
 * interfaces in one file. See {@link Names} for how names are made.
 */
public final class TypeGenerator {

  /** A file to write, at {@code path} relative to the output directory. */
  public record GeneratedFile(String path, String content) {}

  /** The system fields every record has, in the order the platform sends them. */
  static final List<CollectionSchema.Field> SYSTEM_FIELDS =
      List.of(
          new CollectionSchema.Field("id", "uuid", true),
          new CollectionSchema.Field("owner", "text", false),
          new CollectionSchema.Field("createdAt", "timestamp", true),
          new CollectionSchema.Field("updatedAt", "timestamp", true),
          new CollectionSchema.Field("version", "integer", true));

  private TypeGenerator() {}

  /**
   * One Java source file per collection, in {@code packageName} (laid out as a source tree: {@code
   * com/example/BlogPosts.java}).
   *
   * @throws IllegalArgumentException when the package name is not one, or two collections or two
   *     fields of one would get the same Java name
   */
  public static List<GeneratedFile> java(String packageName, List<CollectionSchema> collections) {
    for (String segment : packageName.split("\\.", -1)) {
      if (!Names.isPackageSegment(segment)) {
        throw new IllegalArgumentException("not a Java package name: " + packageName);
      }
    }
    // Ignoring case: two files that differ only in case are one on some file systems.
    unique(
        collections.stream().map(CollectionSchema::name).toList(),
        name -> Names.typeName(name).toLowerCase(java.util.Locale.ROOT),
        "collections");
    List<GeneratedFile> files = new ArrayList<>();
    for (CollectionSchema collection : collections) {
      List<CollectionSchema.Field> fields = new ArrayList<>(SYSTEM_FIELDS);
      fields.addAll(collection.fields());
      unique(
          fields.stream().map(CollectionSchema.Field::name).toList(),
          Names::memberName,
          "fields of " + collection.name());
      String type = Names.typeName(collection.name());
      files.add(
          new GeneratedFile(
              packageName.replace('.', '/') + "/" + type + ".java",
              JavaEmitter.emit(packageName, type, collection.name(), fields)));
    }
    return files;
  }

  /** The TypeScript interfaces of every collection, in one file {@code plinth-types.ts}. */
  public static GeneratedFile typescript(List<CollectionSchema> collections) {
    unique(
        collections.stream().map(CollectionSchema::name).toList(), Names::typeName, "collections");
    return new GeneratedFile("plinth-types.ts", TypeScriptEmitter.emit(collections));
  }

  private static void unique(
      List<String> names, java.util.function.Function<String, String> generated, String scope) {
    Map<String, String> seen = new HashMap<>();
    for (String name : names) {
      String other = seen.putIfAbsent(generated.apply(name), name);
      if (other != null) {
        throw new IllegalArgumentException(
            scope
                + " "
                + other
                + " and "
                + name
                + " would both become "
                + generated.apply(name)
                + ": rename one");
      }
    }
  }
}
