package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tenant's end-user sign-in, as {@code GET /v1/identity} describes it.
 *
 * @param mode {@code realm}, {@code organization} or {@code external}
 * @param organization the organization's alias in {@code organization} mode, else null
 */
public record SignInConfig(
    String mode,
    String issuer,
    String clientId,
    String authorizationEndpoint,
    String tokenEndpoint,
    String endSessionEndpoint,
    String discoveryUrl,
    String organization) {

  static SignInConfig of(JsonNode body) {
    return new SignInConfig(
        text(body, "mode"),
        text(body, "issuer"),
        text(body, "clientId"),
        text(body, "authorizationEndpoint"),
        text(body, "tokenEndpoint"),
        text(body, "endSessionEndpoint"),
        text(body, "discoveryUrl"),
        text(body, "organization"));
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
