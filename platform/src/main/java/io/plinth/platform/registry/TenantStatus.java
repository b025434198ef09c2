package io.plinth.platform.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a tenant is in its life; {@link #wire()} is how the registry and both APIs write it. */
public enum TenantStatus {
  PROVISIONING,
  ACTIVE,
  SUSPENDED,
  DELETING,
  DELETED,
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TenantStatus> ofWire(String text) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(text)).findFirst();
  }
}
