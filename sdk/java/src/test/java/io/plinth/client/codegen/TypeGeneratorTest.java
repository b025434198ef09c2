package io.plinth.client.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TypeGeneratorTest {

  private static final CollectionSchema POSTS =
      new CollectionSchema(
          "blog_posts",
          List.of(
              new CollectionSchema.Field("title", "text", true),
              new CollectionSchema.Field("published_at", "timestamp", false),
              new CollectionSchema.Field("class", "integer", false),
              new CollectionSchema.Field("hash_code", "number", false),
              new CollectionSchema.Field("meta", "json", false)));

  @Test
  void namesFollowOneRule() {
    assertThat(Names.typeName("blog_posts")).isEqualTo("BlogPosts");
    assertThat(Names.typeName("v2_items")).isEqualTo("V2Items");
    assertThat(Names.typeName("fields")).isEqualTo("Fields_");
    assertThat(Names.memberName("published_at")).isEqualTo("publishedAt");
    assertThat(Names.memberName("class")).isEqualTo("class_");
    assertThat(Names.memberName("hash_code")).isEqualTo("hashCode_");
    assertThat(Names.memberName("record")).isEqualTo("record_");
    assertThat(Names.constantName("published_at")).isEqualTo("PUBLISHED_AT");
    assertThat(Names.constantName("createdAt")).isEqualTo("CREATED_AT");
  }

  @Test
  void theJavaRecordHasEveryFieldWithItsTypeAndConstants() throws Exception {
    List<TypeGenerator.GeneratedFile> files =
        TypeGenerator.java(
            "com.example.model", List.of(POSTS, new CollectionSchema("string", List.of())));
    assertThat(files)
        .extracting(TypeGenerator.GeneratedFile::path)
        .containsExactly("com/example/model/BlogPosts.java", "com/example/model/String.java");

    ClassLoader loader = JavaSources.compile(JavaSources.write(files));
    Class<?> type = loader.loadClass("com.example.model.BlogPosts");
    assertThat(type.isRecord()).isTrue();
    Map<String, String> components =
        Arrays.stream(type.getRecordComponents())
            .collect(
                Collectors.toMap(
                    RecordComponent::getName,
                    c -> c.getType().getName(),
                    (a, b) -> a,
                    java.util.LinkedHashMap::new));
    assertThat(components)
        .containsExactly(
            Map.entry("id", "java.util.UUID"),
            Map.entry("owner", "java.lang.String"),
            Map.entry("createdAt", "java.time.OffsetDateTime"),
            Map.entry("updatedAt", "java.time.OffsetDateTime"),
            Map.entry("version", "java.lang.Long"),
            Map.entry("title", "java.lang.String"),
            Map.entry("publishedAt", "java.time.OffsetDateTime"),
            Map.entry("class_", "java.lang.Long"),
            Map.entry("hashCode_", "java.lang.Double"),
            Map.entry("meta", "com.fasterxml.jackson.databind.JsonNode"));
    Class<?> fields = loader.loadClass("com.example.model.BlogPosts$Fields");
    assertThat(fields.getField("PUBLISHED_AT").get(null)).isEqualTo("published_at");
    assertThat(fields.getField("CREATED_AT").get(null)).isEqualTo("createdAt");

    ObjectMapper json = new ObjectMapper();
    UUID id = UUID.randomUUID();
    JsonNode record =
        json.readTree(
            "{\"id\":\""
                + id
                + "\",\"owner\":null,\"createdAt\":\"2026-01-02T03:04:05.123Z\","
                + "\"updatedAt\":\"2026-01-02T03:04:05.123Z\",\"version\":2,\"title\":\"t\","
                + "\"published_at\":\"2026-01-02T04:04:05+01:00\",\"class\":7,"
                + "\"hash_code\":1.5,\"meta\":{\"a\":[1]},\"added_later\":true}");
    Object post = json.treeToValue(record, type);
    assertThat(type.getMethod("id").invoke(post)).isEqualTo(id);
    assertThat(type.getMethod("version").invoke(post)).isEqualTo(2L);
    assertThat(type.getMethod("publishedAt").invoke(post))
        .isEqualTo(OffsetDateTime.parse("2026-01-02T04:04:05+01:00"));
    assertThat(type.getMethod("class_").invoke(post)).isEqualTo(7L);
    assertThat(type.getMethod("meta").invoke(post).toString()).isEqualTo("{\"a\":[1]}");
    assertThat(type.getMethod("owner").invoke(post)).isNull();
  }

  @Test
  void typeScriptInterfacesMarkOptionalFieldsNullable() {
    String ts = TypeGenerator.typescript(List.of(POSTS)).content();
    assertThat(ts)
        .contains("export interface BlogPosts {")
        .contains("  id: string;\n")
        .contains("  owner: string | null;\n")
        .contains("  version: number;\n")
        .contains("  title: string;\n")
        .contains("  published_at: string | null;\n")
        .contains("  meta: unknown | null;\n")
        .contains("export interface Collections {\n  blog_posts: BlogPosts;\n}");
  }

  @Test
  void namesThatWouldClashAreRefused() {
    assertThatThrownBy(
            () ->
                TypeGenerator.java(
                    "p",
                    List.of(
                        new CollectionSchema("a_b", List.of()),
                        new CollectionSchema("a__b", List.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a_b and a__b");
    assertThatThrownBy(
            () ->
                TypeGenerator.java(
                    "p",
                    List.of(
                        new CollectionSchema(
                            "c",
                            List.of(
                                new CollectionSchema.Field("x_y", "text", false),
                                new CollectionSchema.Field("x__y", "text", false))))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypeGenerator.java("com.class", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCommandRefusesMissingOptions() {
    var err = new java.io.ByteArrayOutputStream();
    int status =
        GenerateTypes.run(
            new String[] {"generate", "--url", "http://x", "--key", "k", "--lang", "java"},
            System.out,
            new java.io.PrintStream(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("missing --out");
  }
}
