package io.plinth.client.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.plinth.client.CollectionDefinition;
import io.plinth.client.Platform;
import io.plinth.client.PlinthClient;
import io.plinth.client.Record;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator against a real platform: a collection with every field type, the command run, its
 * Java compiled by javac and a real record read into the generated class by Jackson.
 */
class GenerateTypesIT {

  private static Platform platform;
  private static Platform.TenantKeys tenant;
  private static PlinthClient client;

  @BeforeAll
  static void start() {
    platform = new Platform();
    tenant = platform.newTenant();
    client = PlinthClient.builder(platform.dataPlaneUrl()).apiKey(tenant.secretKey()).build();
    client.createCollection(
        CollectionDefinition.named("blog_posts")
            .field(CollectionDefinition.Field.of("title", "text").asRequired())
            .field("view_count", "integer")
            .field("score", "number")
            .field("published", "boolean")
            .field("published_at", "timestamp")
            .field("author_id", "uuid")
            .field("meta", "json"));
    client.createCollection(CollectionDefinition.named("tags").field("label", "text"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static int generate(String lang, Path out, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "generate",
                "--url",
                platform.dataPlaneUrl().toString(),
                "--key",
                tenant.secretKey(),
                "--lang",
                lang,
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        GenerateTypes.run(args.toArray(String[]::new), System.out, new PrintStream(err, true));
    assertThat(status).as("generation: %s", err).isZero();
    return status;
  }

  @Test
  void aRealRecordIsReadIntoTheGeneratedRecord() throws Exception {
    Path out = Files.createTempDirectory("plinth-types");
    generate("java", out, "--package", "com.example.model");
    assertThat(out.resolve("com/example/model/BlogPosts.java")).exists();
    assertThat(out.resolve("com/example/model/Tags.java")).exists();

    ClassLoader loader = JavaSources.compile(out);
    Class<?> type = loader.loadClass("com.example.model.BlogPosts");
    Class<?> fields = loader.loadClass("com.example.model.BlogPosts$Fields");

    UUID author = UUID.randomUUID();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put((String) fields.getField("TITLE").get(null), "Hello");
    values.put((String) fields.getField("VIEW_COUNT").get(null), 9_007_199_254_740_993L);
    values.put("score", 4.5);
    values.put("published", true);
    values.put("published_at", "2026-03-04T05:06:07.891+02:00");
    values.put("author_id", author.toString());
    values.put("meta", Map.of("tags", List.of("a", "b")));
    Record inserted = client.records("blog_posts").insert(values);

    Record read = client.records("blog_posts").get(inserted.id()); // as the data plane sends it
    Object post = new ObjectMapper().treeToValue(read.body(), type);
    assertThat(call(type, post, "id")).isEqualTo(UUID.fromString(inserted.id()));
    assertThat(call(type, post, "owner")).isNull();
    assertThat(call(type, post, "version")).isEqualTo(1L);
    assertThat(call(type, post, "createdAt")).isInstanceOf(OffsetDateTime.class);
    assertThat(call(type, post, "title")).isEqualTo("Hello");
    assertThat(call(type, post, "viewCount")).isEqualTo(9_007_199_254_740_993L);
    assertThat(call(type, post, "score")).isEqualTo(4.5);
    assertThat(call(type, post, "published")).isEqualTo(true);
    assertThat(((OffsetDateTime) call(type, post, "publishedAt")).toInstant())
        .isEqualTo(OffsetDateTime.parse("2026-03-04T05:06:07.891+02:00").toInstant());
    assertThat(call(type, post, "authorId")).isEqualTo(author);
    assertThat(call(type, post, "meta").toString()).isEqualTo("{\"tags\":[\"a\",\"b\"]}");

    // The Fields constants work in typed queries.
    assertThat(
            client
                .records("blog_posts")
                .query()
                .eq((String) fields.getField("AUTHOR_ID").get(null), author)
                .page()
                .items())
        .hasSize(1);
  }

  private static Object call(Class<?> type, Object target, String accessor) throws Exception {
    return type.getMethod(accessor).invoke(target);
  }

  @Test
  void typeScriptInterfacesTypeCheck() throws Exception {
    Path out = Files.createTempDirectory("plinth-ts");
    generate("typescript", out);
    String ts = Files.readString(out.resolve("plinth-types.ts"));
    assertThat(ts)
        .contains("export interface BlogPosts {")
        .contains("  view_count: number | null;");

    // The TypeScript SDK's module builds after this one: install its compiler here if needed
    // (the same lockfile check its build uses), so the output is always type-checked.
    Path typescriptSdk = Path.of("../typescript").toAbsolutePath().normalize();
    Process install =
        new ProcessBuilder("node", "scripts/npm-ci-if-needed.mjs")
            .directory(typescriptSdk.toFile())
            .redirectErrorStream(true)
            .start();
    String installOutput = new String(install.getInputStream().readAllBytes());
    assertThat(install.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(install.exitValue()).as("npm ci in sdk/typescript: %s", installOutput).isZero();
    Path tsc = typescriptSdk.resolve("node_modules/.bin/tsc");
    Files.writeString(
        out.resolve("use.ts"),
        "import type { BlogPosts, Collections } from './plinth-types';\n"
            + "const p: BlogPosts = { id: 'x', owner: null, createdAt: 'c', updatedAt: 'u',"
            + " version: 1, title: 't', view_count: null, score: 1.5, published: true,"
            + " published_at: null, author_id: null, meta: { a: 1 } };\n"
            + "const c: Collections['blog_posts'] = p;\nexport { c };\n");
    Process process =
        new ProcessBuilder(tsc.toString(), "--noEmit", "--strict", out.resolve("use.ts").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("tsc: %s", output).isZero();
  }
}
