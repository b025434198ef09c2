package io.plinth.client;

import java.net.URI;

/**
 * Where to send the user to sign in (authorization code with PKCE), and what to keep until the
 * redirect comes back: check its {@code state} parameter against {@code state}, then pass its
 * {@code code} and {@code codeVerifier} to {@link Auth#exchangeCode}. {@link #toString()} leaves
 * the verifier out.
 */
public record AuthorizationRequest(URI url, String state, String codeVerifier) {
  @Override
  public String toString() {
    return "AuthorizationRequest[url=" + url + "]";
  }
}
