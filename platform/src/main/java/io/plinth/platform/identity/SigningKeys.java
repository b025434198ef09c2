package io.plinth.platform.identity;

import io.vertx.core.Future;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys an issuer signs with, by key id. The identity issue backs this with JWKS fetched
 * from Keycloak and cached cluster-wide; a fixed set serves tests and external issuers with static
 * keys.
 */
@FunctionalInterface
public interface SigningKeys {

  /** The issuer's key with this id, or empty when the issuer has none by that id. */
  Future<Optional<PublicKey>> find(String issuer, String keyId);

  /** Keys known in advance: issuer → key id → key. */
  static SigningKeys fixed(Map<String, Map<String, PublicKey>> byIssuer) {
    Map<String, Map<String, PublicKey>> copy = Map.copyOf(byIssuer);
    return (issuer, keyId) ->
        Future.succeededFuture(Optional.ofNullable(copy.getOrDefault(issuer, Map.of()).get(keyId)));
  }
}
