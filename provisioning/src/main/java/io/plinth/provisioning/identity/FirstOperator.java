package io.plinth.provisioning.identity;

import io.plinth.platform.config.Secret;
import java.util.regex.Pattern;

/**
 * The operator made with the platform realm, so that a fresh installation can sign in to the
 * console before anyone has opened Keycloak's admin console. Made once, with the realm; its
 * password is the operator's to change from then on.
 */
public record FirstOperator(String username, Secret password) {

  /** What Keycloak accepts as a username, kept to the plain subset. */
  static final Pattern USERNAME = Pattern.compile("[a-z0-9._@-]{1,64}");

  /**
   * The username when it is an address, otherwise one under {@code .invalid} (RFC 2606), which no
   * mail reaches: the operator sets a real one in Keycloak.
   */
  String email() {
    return username.contains("@") ? username : username + "@operators.plinth.invalid";
  }
}
