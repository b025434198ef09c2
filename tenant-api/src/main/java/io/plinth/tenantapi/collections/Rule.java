package io.plinth.tenantapi.collections;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who may read or write a collection's records (see DESIGN.md, "Rules per collection"). */
public enum Rule {
  /** Any valid key. */
  PUBLIC,
  /** A valid end-user token of this tenant. */
  AUTHENTICATED,
  /** Authenticated, and only rows whose {@code owner} is the token's {@code sub}. */
  OWNER,
  /** The secret key only. */
  SECRET;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Rule> fromWire(String wire) {
    return Arrays.stream(values()).filter(r -> r.wire().equals(wire)).findFirst();
  }

  /** {@code public, authenticated, owner, secret} for error messages. */
  public static String wireNames() {
    return String.join(", ", Arrays.stream(values()).map(Rule::wire).toList());
  }
}
