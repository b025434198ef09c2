package io.plinth.provisioning.identity;

/**
 * Keycloak did not answer, or answered that it cannot serve right now (5xx, 429, a timeout): the
 * call may succeed later, so provisioning waits and retries instead of rolling back.
 */
public final class IdentityUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IdentityUnavailable(String message) {
    super(message, null, false, false);
  }

  /** Whether {@code failure}, or anything it was caused by, is Keycloak being unavailable. */
  public static boolean isCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IdentityUnavailable) {
        return true;
      }
    }
    return false;
  }
}
