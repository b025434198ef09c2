package io.plinth.provisioning.identity;

/**
 * Keycloak answered and refused (a 4xx it will give again): retrying cannot help, so the step fails
 * and provisioning rolls back. The message holds Keycloak's reason, never a credential.
 */
public final class KeycloakRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public KeycloakRefused(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
