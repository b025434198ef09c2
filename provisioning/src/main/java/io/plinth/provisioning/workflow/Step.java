package io.plinth.provisioning.workflow;

import java.util.Locale;

/** The steps that make a tenant, in order. Each is idempotent and recorded before and after. */
public enum Step {
  SCHEMA,
  MIGRATIONS,
  KEYS;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
