package io.plinth.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The chart in helm/plinth, rendered and linted the way `helm template` and `helm lint` do. */
final class Chart {

  static final Path DIRECTORY = Path.of("plinth");
  static final String RELEASE = "plinth";
  static final String NAMESPACE = "plinth-test";

  private Chart() {}

  /** The ci/*-values.yaml scenarios, by file name. */
  static List<String> scenarios() {
    try (Stream<Path> files = Files.list(DIRECTORY.resolve("ci"))) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith("-values.yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path scenario(String fileName) {
    return DIRECTORY.resolve("ci").resolve(fileName).toAbsolutePath();
  }

  private static final Map<List<Path>, Manifests> RENDERED = new ConcurrentHashMap<>();

  /**
   * `helm template` with the chart's values.yaml and the given values files on top, parsed; the
   * same files render once per test JVM.
   */
  static Manifests render(Path... valuesFiles) {
    return RENDERED.computeIfAbsent(
        List.of(valuesFiles), files -> Manifests.parse(template(valuesFiles)));
  }

  /** The rendered YAML; an {@link IllegalStateException} with Helm's message when it fails. */
  static String template(Path... valuesFiles) {
    var template = new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      template.withValuesFile(file);
    }
    return template.call();
  }

  /**
   * `helm lint --strict` with the given values files on top of values.yaml. helm-java's lint takes
   * no values files, so it lints a copy of the chart whose values.yaml is the merge Helm would make
   * (maps merged key by key, anything else replaced).
   */
  static LintResult lint(Path... valuesFiles) {
    try {
      Path copy = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "lint-");
      try (Stream<Path> files = Files.walk(DIRECTORY)) {
        for (Path file : files.toList()) {
          Path target = copy.resolve(DIRECTORY.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      Map<String, Object> values = readYaml(DIRECTORY.resolve("values.yaml"));
      for (Path file : valuesFiles) {
        values = merge(values, readYaml(file));
      }
      YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readYaml(Path file) {
    Map<String, Object> values = YAML.readValue(file.toFile(), Map.class);
    return values == null ? new LinkedHashMap<>() : values;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> top) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    top.forEach(
        (key, value) -> {
          if (value == null) {
            merged.remove(key); // as in Helm: null deletes a default
          } else if (merged.get(key) instanceof Map<?, ?> old && value instanceof Map<?, ?> map) {
            merged.put(key, merge((Map<String, Object>) old, (Map<String, Object>) map));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }

  /** A values file with the given YAML, for a test's own scenario. */
  static Path values(Path directory, String yaml) {
    try {
      Path file = Files.createTempFile(directory, "values-", ".yaml");
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
