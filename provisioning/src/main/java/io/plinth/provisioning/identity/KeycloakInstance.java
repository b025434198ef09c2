package io.plinth.provisioning.identity;

import java.net.URI;

/**
 * One Keycloak cluster by name ({@code tenants.identity_keycloak} records it) and its base URL, the
 * one end users' apps reach: realms' issuers are {@code <url>/realms/<realm>}.
 */
public record KeycloakInstance(String name, URI url) {

  public String issuer(String realm) {
    return url + "/realms/" + realm;
  }
}
