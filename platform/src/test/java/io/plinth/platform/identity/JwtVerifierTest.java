package io.plinth.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.ProblemException;
import io.plinth.testing.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The offline token checks. (It lives beside {@link TestTokens}, which signs the tokens, because
 * the platform module cannot depend on the test support built on it.)
 */
class JwtVerifierTest {

  private static final String TENANT = "acme";
  private final TestTokens tokens = new TestTokens();
  private final JwtVerifier verifier = tokens.verifier(TENANT);
  private final TokenExpectation expected = tokens.expectation(TENANT);

  @Test
  void acceptsAValidAccessTokenAndNamesItsSubject() {
    EndUser user = verify(tokens.token(TENANT, "user-1"));
    assertThat(user.subject()).isEqualTo("user-1");
    assertThat(user.issuer()).isEqualTo(tokens.issuer(TENANT));
  }

  @Test
  void acceptsAnAudienceListThatHoldsThisApi() {
    assertThat(
            verify(
                tokens.token(
                    TENANT,
                    "u",
                    c -> c.put("aud", new JsonArray().add("account").add(TestTokens.AUDIENCE)))))
        .isNotNull();
  }

  @Test
  void refusesATokenOfAnotherTenant() {
    assertThat(rejection(tokens.token("other", "u"))).contains("not issued for this tenant");
    // Same key, but the issuer claim forged to this tenant's while signed for another: still
    // fine by signature, so the issuer must be the only thing that decides, and it does.
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.put("iss", "https://evil.test"))))
        .contains("not issued for this tenant");
  }

  @Test
  void refusesExpiredAndNotYetValidTokensBeyondTheSkew() {
    long now = Instant.now().getEpochSecond();
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.put("exp", now - 31))))
        .contains("expired");
    assertThat(verify(tokens.token(TENANT, "u", c -> c.put("exp", now - 5)))).isNotNull();
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.put("nbf", now + 120))))
        .contains("not valid yet");
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.remove("exp")))).contains("no expiry");
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.put("exp", "tomorrow"))))
        .contains("not a number");
  }

  @Test
  void refusesAWrongAudienceTypeOrMissingSubject() {
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.put("aud", "account"))))
        .contains("not meant for this API");
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.remove("aud"))))
        .contains("not meant for this API");
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.put("typ", "ID"))))
        .contains("not an access token");
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.put("typ", "Refresh"))))
        .contains("not an access token");
    assertThat(rejection(tokens.token(TENANT, "u", c -> c.remove("sub")))).contains("no subject");
    assertThat(rejection(tokens.token(TENANT, "", c -> {}))).contains("no subject");
  }

  @Test
  void refusesAlgNoneAndHmacSignedWithThePublicKey() {
    JsonObject claims = claimsOf(tokens.token(TENANT, "u"));
    assertThat(rejection(TestTokens.unsigned(tokens.header("none"), claims)))
        .contains("algorithm is not accepted");
    // The classic confusion attack: HS256 keyed with the (public) RSA key's bytes.
    PublicKey publicKey = tokens.verifierKey();
    String input = TestTokens.encode(tokens.header("HS256")) + "." + TestTokens.encode(claims);
    assertThat(rejection(input + "." + hmac(input, publicKey.getEncoded())))
        .contains("algorithm is not accepted");
  }

  @Test
  void refusesTamperedTokensAndForeignKeys() throws Exception {
    String token = tokens.token(TENANT, "user-1");
    String[] parts = token.split("\\.");
    JsonObject claims = claimsOf(token).put("sub", "admin");
    String tampered = parts[0] + "." + TestTokens.encode(claims) + "." + parts[2];
    assertThat(rejection(tampered)).contains("signature does not verify");

    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair stranger = generator.generateKeyPair();
    assertThat(rejection(TestTokens.sign(tokens.header("RS256"), claims, stranger.getPrivate())))
        .contains("signature does not verify");
    assertThat(
            rejection(
                TestTokens.sign(
                    tokens.header("RS256").put("kid", "other-key"), claims, stranger.getPrivate())))
        .contains("unknown key");
    // An ES256 header over an RSA key: the key type must match the algorithm.
    String es256 = TestTokens.encode(tokens.header("ES256")) + "." + parts[1] + "." + parts[2];
    assertThat(rejection(es256)).contains("does not match the signing key");
  }

  @Test
  void refusesMalformedInputWithoutEchoingIt() {
    for (String garbage :
        new String[] {
          "", "abc", "a.b", "a.b.c.d", "!!!.???.***", "e30.e30.", "W10.W10.", "bnVsbA.bnVsbA.x"
        }) {
      assertThat(rejection(garbage)).as(garbage).doesNotContain(garbage.isEmpty() ? "\0" : garbage);
    }
    assertThat(rejection("a".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1))).contains("too long");
    JsonObject claims = claimsOf(tokens.token(TENANT, "u"));
    assertThat(rejection(TestTokens.unsigned(tokens.header("RS256").put("crit", "x"), claims)))
        .contains("critical");
    assertThat(rejection(TestTokens.unsigned(tokens.header("RS256").putNull("kid"), claims)))
        .contains("names no signing key");
  }

  @Test
  void readsRsaKeysFromAJwksAndSkipsEncryptionKeys() {
    JsonObject jwks = tokens.jwks();
    jwks.getJsonArray("keys")
        .add(new JsonObject().put("kid", "enc-1").put("kty", "RSA").put("use", "enc"))
        .add(new JsonObject().put("kid", "broken").put("kty", "RSA").put("n", "%%%"));
    Map<String, PublicKey> keys = Jwks.signingKeys(jwks);
    assertThat(keys).containsOnlyKeys(tokens.keyId());
    JwtVerifier fromJwks =
        new JwtVerifier(
            SigningKeys.fixed(Map.of(tokens.issuer(TENANT), keys)),
            java.time.Clock.systemUTC(),
            JwtVerifier.DEFAULT_SKEW);
    assertThat(await(fromJwks.verify(expected, tokens.token(TENANT, "u"))).result().subject())
        .isEqualTo("u");
  }

  @Test
  void withoutSignInEveryTokenIsRefused() {
    Future<EndUser> result = await(TokenVerifier.noSignIn());
    assertThat(((ProblemException) result.cause()).problem().code())
        .isEqualTo("invalid_user_token");
  }

  @Test
  void anOrganizationsTokensMustNameItAsAListOrAnObjectKeyedByAlias() {
    TokenExpectation acme =
        new TokenExpectation(tokens.issuer(TENANT), TestTokens.AUDIENCE, "acme");
    String asList =
        tokens.token(TENANT, "u", c -> c.put("organization", new JsonArray().add("x").add("acme")));
    String asObject =
        tokens.token(
            TENANT,
            "u",
            c ->
                c.put(
                    "organization",
                    new JsonObject().put("acme", new JsonObject().put("id", "42"))));
    assertThat(await(verifier.verify(acme, asList)).succeeded()).isTrue();
    assertThat(await(verifier.verify(acme, asObject)).succeeded()).isTrue();
    for (String other :
        new String[] {
          tokens.token(TENANT, "u"),
          tokens.token(TENANT, "u", c -> c.put("organization", new JsonArray().add("acme-2"))),
          tokens.token(
              TENANT, "u", c -> c.put("organization", new JsonObject().put("other", "acme"))),
          tokens.token(TENANT, "u", c -> c.put("organization", 42))
        }) {
      Future<EndUser> refused = await(verifier.verify(acme, other));
      assertThat(refused.failed()).isTrue();
      assertThat(((ProblemException) refused.cause()).problem().detail())
          .contains("not a member of this organization");
    }
    // Without an organization expected, the claim is not looked at.
    assertThat(verify(asList).subject()).isEqualTo("u");
  }

  private EndUser verify(String token) {
    Future<EndUser> result = await(verifier.verify(expected, token));
    assertThat(result.succeeded()).as(String.valueOf(result.cause())).isTrue();
    return result.result();
  }

  private String rejection(String token) {
    Future<EndUser> result = await(verifier.verify(expected, token));
    assertThat(result.failed()).as("token should be refused").isTrue();
    ProblemException problem = (ProblemException) result.cause();
    assertThat(problem.problem().status()).isEqualTo(401);
    assertThat(problem.problem().code()).isEqualTo("invalid_user_token");
    return problem.problem().detail();
  }

  private static Future<EndUser> await(Future<EndUser> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the future holds the failure
    }
    return future;
  }

  private static JsonObject claimsOf(String token) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static String hmac(String input, byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
