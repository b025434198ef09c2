package io.plinth.platform.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration setting: its dotted key (a system property), the environment variable derived
 * from it, its default, what it means, and how its text is parsed and checked.
 *
 * @param key dotted name, e.g. {@code plinth.http.port}; also the system property
 * @param defaultValue text used when nothing else sets it; {@code null} means required
 * @param secret whether its value must never be printed
 * @param description one line for the configuration table in docs/configuration.md
 * @param parser turns the text into a value or throws {@link IllegalArgumentException} saying why
 */
public record Setting<T>(
    String key, String defaultValue, boolean secret, String description, Parser<T> parser) {

  /** Parses the text of a setting; throws {@link IllegalArgumentException} with the reason. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String text);
  }

  /** A setting whose value may be shown in logs and error messages. */
  public static <T> Setting<T> of(
      String key, String defaultValue, String description, Parser<T> parser) {
    return new Setting<>(key, defaultValue, false, description, parser);
  }

  /** A setting whose value is a secret: printed as {@code ******}, never logged. */
  public static <T> Setting<T> secret(
      String key, String defaultValue, String description, Parser<T> parser) {
    return new Setting<>(key, defaultValue, true, description, parser);
  }

  public Setting {
    Objects.requireNonNull(key);
    Objects.requireNonNull(description);
    Objects.requireNonNull(parser);
    if (!key.matches("plinth(\\.[a-z][a-z0-9-]*)+")) {
      throw new IllegalArgumentException("bad setting key " + key);
    }
  }

  /** {@code plinth.http.port} becomes {@code PLINTH_HTTP_PORT}. */
  public String environmentVariable() {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value as it may be shown in logs and error messages. */
  public String printable(String text) {
    return secret ? "******" : text;
  }
}
