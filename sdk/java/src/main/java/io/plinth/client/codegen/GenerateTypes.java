package io.plinth.client.codegen;

import io.plinth.client.PlinthClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes types for a tenant's collections, read from {@code GET /v1/collections}:
 *
 * <pre>
 * java -cp plinth-client.jar:jackson-databind.jar:jackson-core.jar:jackson-annotations.jar \
 *   io.plinth.client.codegen.GenerateTypes --url https://data.example.com --key $PLINTH_SECRET_KEY \
 *   --lang java --package com.example.model --out src/main/java
 * </pre>
 *
 * ({@code java -jar plinth-client.jar generate ...} runs it too, with Jackson next to the jar).
 * {@code --lang typescript} writes {@code plinth-types.ts} into {@code --out} instead; the key may
 * also come from the environment variable {@code PLINTH_KEY}, which keeps it out of the process
 * list.
 */
public final class GenerateTypes {

  private GenerateTypes() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the command; returns its exit status (0 done, 2 bad arguments, 1 failed). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(
          "usage: GenerateTypes --url <data plane> --key <secret key> --lang java|typescript"
              + " [--package <java package>] --out <dir>");
      return 2;
    }
    try {
      PlinthClient client =
          PlinthClient.builder(URI.create(options.get("url"))).apiKey(options.get("key")).build();
      List<CollectionSchema> collections = CollectionSchema.fromListing(client.listCollections());
      List<TypeGenerator.GeneratedFile> files =
          "java".equals(options.get("lang"))
              ? TypeGenerator.java(options.get("package"), collections)
              : List.of(TypeGenerator.typescript(collections));
      Path outDir = Path.of(options.get("out"));
      for (TypeGenerator.GeneratedFile file : files) {
        Path target = outDir.resolve(file.path());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.content(), StandardCharsets.UTF_8);
        out.println("wrote " + target);
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("generation failed: " + e.getMessage());
      return 1;
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    int i = args.length > 0 && "generate".equals(args[0]) ? 1 : 0;
    for (; i < args.length; i += 2) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got " + name);
      }
      options.put(name.substring(2), args[i + 1]);
    }
    if (!options.containsKey("key") && System.getenv("PLINTH_KEY") != null) {
      options.put("key", System.getenv("PLINTH_KEY"));
    }
    for (String required : List.of("url", "key", "lang", "out")) {
      if (!options.containsKey(required)) {
        throw new IllegalArgumentException("missing --" + required);
      }
    }
    String lang = options.get("lang");
    if (!lang.equals("java") && !lang.equals("typescript")) {
      throw new IllegalArgumentException("--lang is java or typescript, not " + lang);
    }
    if (lang.equals("java") && !options.containsKey("package")) {
      throw new IllegalArgumentException("missing --package (for --lang java)");
    }
    return options;
  }
}
