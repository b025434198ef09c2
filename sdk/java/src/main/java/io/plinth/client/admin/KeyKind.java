package io.plinth.client.admin;

import java.util.Locale;

/** A publishable key is safe in a browser; a secret key is for servers. */
public enum KeyKind {
  PUBLISHABLE,
  SECRET;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static KeyKind of(String wire) {
    return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
