package io.plinth.platform.config;

/** A secret value: {@link #toString()} never reveals it, so it cannot leak through logs. */
public record Secret(String value) {

  public boolean isEmpty() {
    return value == null || value.isEmpty();
  }

  @Override
  public String toString() {
    return "******";
  }
}
