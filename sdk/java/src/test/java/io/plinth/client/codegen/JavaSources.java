package io.plinth.client.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles generated sources with the real javac, against this JVM's classpath (Jackson). */
final class JavaSources {

  private JavaSources() {}

  /** Compiles the Java source files under {@code sources} into a loader of their classes. */
  static ClassLoader compile(Path sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK's compiler").isNotNull();
    Path classes = Files.createTempDirectory("plinth-generated-classes");
    List<String> args =
        new ArrayList<>(List.of("-d", classes.toString(), "-Xlint:all,-path", "-Werror"));
    args.add("-classpath");
    args.add(System.getProperty("java.class.path"));
    try (var files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    StringWriter diagnostics = new StringWriter();
    int status =
        javac.run(
            null,
            new java.io.PrintStream(
                new java.io.ByteArrayOutputStream() {
                  @Override
                  public void flush() {
                    diagnostics.write(toString());
                    reset();
                  }
                },
                true),
            new java.io.PrintStream(
                new java.io.OutputStream() {
                  @Override
                  public void write(int b) {
                    diagnostics.write(b);
                  }
                },
                true),
            args.toArray(String[]::new));
    assertThat(status).as("javac of the generated sources:\n%s", diagnostics).isZero();
    return new URLClassLoader(
        new URL[] {classes.toUri().toURL()}, JavaSources.class.getClassLoader());
  }

  /** Writes generated files under a new temporary directory. */
  static Path write(List<TypeGenerator.GeneratedFile> files) throws IOException {
    Path dir = Files.createTempDirectory("plinth-generated");
    for (TypeGenerator.GeneratedFile file : files) {
      Path target = dir.resolve(file.path());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.content());
    }
    return dir;
  }
}
