package io.plinth.platform.registry;

import java.util.Locale;
import java.util.Optional;

/** Where a tenant's end users sign in (DESIGN.md, Identity). */
public enum IdentityMode {
  /** A Keycloak realm of the tenant's own, {@code plinth-<slug>}. */
  REALM,
  /** An Organization in the shared realm {@code plinth-shared}. */
  ORGANIZATION,
  /** An OIDC issuer the tenant runs; Plinth creates nothing. */
  EXTERNAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<IdentityMode> ofWire(String text) {
    for (IdentityMode mode : values()) {
      if (mode.wire().equals(text)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
