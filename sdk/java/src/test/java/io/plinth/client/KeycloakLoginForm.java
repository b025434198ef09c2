package io.plinth.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A user at Keycloak's login page, as a browser would be: opens the authorization URL, fills in the
 * login form, and answers where Keycloak redirects to (the app's redirect URI with {@code code} and
 * {@code state}), without following it.
 */
final class KeycloakLoginForm {

  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
  private static final Pattern ANY_ACTION = Pattern.compile("action=\"([^\"]+)\"");

  private KeycloakLoginForm() {}

  static URI signIn(URI authorizationUrl, String username, String password)
      throws IOException, InterruptedException {
    HttpClient browser =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> page =
        browser.send(
            HttpRequest.newBuilder(authorizationUrl).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (page.statusCode() != 200) {
      throw new IllegalStateException("the login page answered " + page.statusCode());
    }
    Matcher action = FORM_ACTION.matcher(page.body());
    if (!action.find()) {
      action = ANY_ACTION.matcher(page.body());
      if (!action.find()) {
        throw new IllegalStateException("no login form on Keycloak's page");
      }
    }
    URI post = authorizationUrl.resolve(action.group(1).replace("&amp;", "&"));
    // Keycloak's session cookies, sent back by hand: they are marked Secure, and this is http.
    String cookies =
        page.headers().allValues("Set-Cookie").stream()
            .map(cookie -> cookie.split(";", 2)[0])
            .collect(Collectors.joining("; "));
    String form =
        "username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&credentialId=";
    HttpResponse<String> signedIn =
        browser.send(
            HttpRequest.newBuilder(post)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (signedIn.statusCode() != 302 && signedIn.statusCode() != 303) {
      throw new IllegalStateException(
          "the login form answered "
              + signedIn.statusCode()
              + " instead of a redirect: "
              + signedIn.body().substring(0, Math.min(2000, signedIn.body().length())));
    }
    return URI.create(signedIn.headers().firstValue("Location").orElseThrow());
  }

  static Map<String, String> query(URI uri) {
    return Arrays.stream(uri.getRawQuery().split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(
            Collectors.toMap(
                kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                kv -> kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8),
                (a, b) -> b));
  }
}
