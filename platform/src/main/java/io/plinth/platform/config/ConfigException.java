package io.plinth.platform.config;

import java.util.List;

/** Start-up stops with this when settings are missing or invalid; one line per bad setting. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
