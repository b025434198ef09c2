package io.plinth.provisioning.workflow;

import java.util.Locale;

/**
 * The steps that make a tenant, in order. Each is idempotent and recorded before and after. The
 * identity step comes last: when Keycloak is away it waits and retries, and the keys made before it
 * can already be handed to the operator.
 */
public enum Step {
  SCHEMA,
  MIGRATIONS,
  KEYS,
  IDENTITY;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
