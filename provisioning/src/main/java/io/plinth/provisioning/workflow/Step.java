package io.plinth.provisioning.workflow;

/**
 * The steps that make a tenant, in order. Each is idempotent and recorded before and after ({@code
 * ProvisioningSteps}: by its name in lowercase, so never rename one). The identity step comes last:
 * when Keycloak is away it waits and retries, and the keys made before it can already be handed to
 * the operator.
 */
public enum Step {
  SCHEMA,
  MIGRATIONS,
  KEYS,
  IDENTITY
}
