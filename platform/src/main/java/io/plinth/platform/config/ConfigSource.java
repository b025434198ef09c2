package io.plinth.platform.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where setting text comes from, highest precedence first: explicit overrides (tests, the local
 * launcher), system properties ({@code -Dplinth.http.port=…}), environment variables ({@code
 * PLINTH_HTTP_PORT}), the service's own defaults, the setting's default.
 */
public final class ConfigSource {

  private final Map<String, String> overrides;
  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> serviceDefaults;

  public ConfigSource(
      Map<String, String> overrides,
      Properties systemProperties,
      Map<String, String> environment,
      Map<String, String> serviceDefaults) {
    this.overrides = Map.copyOf(overrides);
    Map<String, String> props = new HashMap<>();
    systemProperties.stringPropertyNames().stream()
        .filter(name -> name.startsWith("plinth."))
        .forEach(name -> props.put(name, systemProperties.getProperty(name)));
    this.systemProperties = Map.copyOf(props);
    this.environment = Map.copyOf(environment);
    this.serviceDefaults = Map.copyOf(serviceDefaults);
  }

  /** The process's own system properties and environment. */
  public static ConfigSource ofProcess(
      Map<String, String> serviceDefaults, Map<String, String> overrides) {
    return new ConfigSource(overrides, System.getProperties(), System.getenv(), serviceDefaults);
  }

  /**
   * The same system properties and environment, with more overrides (winning over the existing
   * ones) and another service's defaults: one process configuring several services.
   */
  public ConfigSource with(Map<String, String> moreOverrides, Map<String, String> defaults) {
    Map<String, String> merged = new HashMap<>(overrides);
    merged.putAll(moreOverrides);
    Properties props = new Properties();
    systemProperties.forEach(props::setProperty);
    return new ConfigSource(merged, props, environment, defaults);
  }

  /** Whether the operator set this setting (override, system property or environment). */
  public boolean isSet(Setting<?> setting) {
    return overrides.containsKey(setting.key())
        || systemProperties.containsKey(setting.key())
        || environment.containsKey(setting.environmentVariable());
  }

  /** The parsed value of one setting, or its parse error as a {@link ConfigException}. */
  public <T> T value(Setting<T> setting) {
    Found found =
        find(setting)
            .orElseThrow(
                () ->
                    new ConfigException(
                        java.util.List.of(
                            PlinthConfig.problem(setting, "is required but not set"))));
    try {
      return setting.parser().parse(found.text());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(java.util.List.of(PlinthConfig.invalid(setting, found, e)));
    }
  }

  /** The text for a setting and where it came from, or empty when nothing sets it. */
  Optional<Found> find(Setting<?> setting) {
    if (overrides.containsKey(setting.key())) {
      return Optional.of(new Found(overrides.get(setting.key()), setting.key()));
    }
    if (systemProperties.containsKey(setting.key())) {
      return Optional.of(new Found(systemProperties.get(setting.key()), "-D" + setting.key()));
    }
    String env = setting.environmentVariable();
    if (environment.containsKey(env)) {
      return Optional.of(new Found(environment.get(env), env));
    }
    if (serviceDefaults.containsKey(setting.key())) {
      return Optional.of(new Found(serviceDefaults.get(setting.key()), "default"));
    }
    return Optional.ofNullable(setting.defaultValue()).map(text -> new Found(text, "default"));
  }

  /** Text of a setting and its origin (an environment variable, a system property, a default). */
  record Found(String text, String origin) {}
}
