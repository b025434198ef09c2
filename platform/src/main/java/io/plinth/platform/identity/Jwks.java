package io.plinth.platform.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a JSON Web Key Set (RFC 7517) into public keys by key id. Only signing keys are kept (RSA,
 * and EC on P-256/P-384); encryption keys and kinds Plinth does not verify with are skipped, not
 * refused, since issuers such as Keycloak publish both in one set.
 */
public final class Jwks {

  private Jwks() {}

  public static Map<String, PublicKey> signingKeys(JsonObject jwks) {
    Map<String, PublicKey> keys = new HashMap<>();
    JsonArray list = jwks.getJsonArray("keys", new JsonArray());
    for (Object entry : list) {
      if (!(entry instanceof JsonObject jwk)) {
        continue;
      }
      String kid = jwk.getString("kid");
      if (kid == null || "enc".equals(jwk.getString("use"))) {
        continue;
      }
      try {
        PublicKey key = publicKey(jwk);
        if (key != null) {
          keys.put(kid, key);
        }
      } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
        // A broken entry must not hide the good ones; it simply verifies nothing.
      }
    }
    return keys;
  }

  private static PublicKey publicKey(JsonObject jwk) throws GeneralSecurityException {
    switch (String.valueOf(jwk.getString("kty"))) {
      case "RSA" -> {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
      }
      case "EC" -> {
        String curve =
            switch (String.valueOf(jwk.getString("crv"))) {
              case "P-256" -> "secp256r1";
              case "P-384" -> "secp384r1";
              default -> null;
            };
        if (curve == null) {
          return null;
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
      }
      default -> {
        return null;
      }
    }
  }

  private static BigInteger unsigned(JsonObject jwk, String member) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString(member)));
  }
}
