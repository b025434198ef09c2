package io.plinth.provisioning;

import io.plinth.platform.identity.Jwks;
import io.plinth.platform.identity.SigningKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEMPORARY, until platform's IssuerKeys (branch identity-data-plane) is merged: an issuer's JWKS
 * fetched through its discovery document, kept per node, fetched again on an unknown key id at most
 * once per 10 s.
 */
final class IssuerKeysSoon implements SigningKeys {

  private static final long MIN_INTERVAL_NANOS = 10_000_000_000L;
  private final WebClient web;
  private final Map<String, Map<String, PublicKey>> keys = new ConcurrentHashMap<>();
  private final Map<String, Long> fetchedAt = new ConcurrentHashMap<>();

  IssuerKeysSoon(WebClient web) {
    this.web = web;
  }

  @Override
  public Future<Optional<PublicKey>> find(String issuer, String keyId) {
    PublicKey known = keys.getOrDefault(issuer, Map.of()).get(keyId);
    if (known != null) {
      return Future.succeededFuture(Optional.of(known));
    }
    Long last = fetchedAt.get(issuer);
    long now = System.nanoTime();
    if (last != null && now - last < MIN_INTERVAL_NANOS) {
      return Future.succeededFuture(Optional.empty());
    }
    fetchedAt.put(issuer, now);
    return web.getAbs(issuer + "/.well-known/openid-configuration")
        .timeout(5000)
        .send()
        .compose(r -> web.getAbs(r.bodyAsJsonObject().getString("jwks_uri")).timeout(5000).send())
        .map(
            r -> {
              Map<String, PublicKey> set = Jwks.signingKeys(new JsonObject(r.bodyAsString()));
              keys.put(issuer, set);
              return Optional.ofNullable(set.get(keyId));
            })
        .otherwise(Optional.empty());
  }
}
