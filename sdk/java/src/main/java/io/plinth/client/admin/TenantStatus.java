package io.plinth.client.admin;

import java.util.Locale;

/** Where a tenant is in its life. */
public enum TenantStatus {
  PROVISIONING,
  ACTIVE,
  SUSPENDED,
  DELETING,
  DELETED,
  FAILED;

  /** As the API writes it, e.g. {@code active}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static TenantStatus of(String wire) {
    return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
