package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link Auth} builds from the tenant's sign-in, read from a real HTTP server answering {@code
 * GET /v1/identity} as the contract says: the PKCE authorization URL, and the caching of the
 * sign-in. Sign-in itself is tested against a real Keycloak in {@code AuthIT}.
 */
class AuthTest {

  private final AtomicInteger identityRequests = new AtomicInteger();
  private final HttpServer server = start();
  private final PlinthClient client =
      PlinthClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
          .apiKey("plinth_pk_test")
          .build();

  private HttpServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext(
          "/v1/identity",
          exchange -> {
            identityRequests.incrementAndGet();
            String issuer = "https://id.example.test/realms/plinth-acme";
            byte[] body =
                ("{\"mode\":\"realm\",\"issuer\":\""
                        + issuer
                        + "\",\"clientId\":\"app\",\"authorizationEndpoint\":\""
                        + issuer
                        + "/protocol/openid-connect/auth\",\"tokenEndpoint\":\""
                        + issuer
                        + "/protocol/openid-connect/token\",\"endSessionEndpoint\":\""
                        + issuer
                        + "/protocol/openid-connect/logout\",\"discoveryUrl\":\""
                        + issuer
                        + "/.well-known/openid-configuration\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Cache-Control", "private, max-age=60");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      http.start();
      return http;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void theAuthorizationUrlCarriesAnS256ChallengeOfAFreshVerifier() throws Exception {
    AuthorizationRequest request = client.auth().authorizationUrl("myapp://signed-in");

    assertThat(request.url().toString())
        .startsWith("https://id.example.test/realms/plinth-acme/protocol/openid-connect/auth?");
    Map<String, String> query = query(request.url());
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", "app")
        .containsEntry("redirect_uri", "myapp://signed-in")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("state", request.state());
    assertThat(query.get("scope")).contains("openid");
    // RFC 7636: 43 to 128 characters of [A-Za-z0-9-._~]; 32 random bytes make 43.
    assertThat(request.codeVerifier()).matches("[A-Za-z0-9_-]{43}");
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(request.codeVerifier().getBytes(StandardCharsets.US_ASCII));
    assertThat(query.get("code_challenge"))
        .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest))
        .doesNotContain("=", "+", "/");
    assertThat(request.toString()).doesNotContain(request.codeVerifier());

    AuthorizationRequest another = client.auth().authorizationUrl("myapp://signed-in");
    assertThat(another.codeVerifier()).isNotEqualTo(request.codeVerifier());
    assertThat(another.state()).isNotEqualTo(request.state());
    assertThat(identityRequests).as("the sign-in is cached for its max-age").hasValue(1);
  }

  @Test
  void rfc7636sExampleChallenge() {
    assertThat(Auth.codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void nobodySignedInSendsNoTokenAndCannotRefresh() {
    assertThat(client.auth().session()).isEmpty();
    assertThatThrownBy(() -> client.auth().refresh())
        .isInstanceOfSatisfying(
            PlinthException.class, e -> assertThat(e.code()).isEqualTo("not_signed_in"));
  }

  private static Map<String, String> query(URI url) {
    return Arrays.stream(url.getRawQuery().split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(
            Collectors.toMap(
                kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
  }
}
