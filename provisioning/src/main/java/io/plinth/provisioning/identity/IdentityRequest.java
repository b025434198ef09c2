package io.plinth.provisioning.identity;

import io.plinth.platform.http.Problem;
import io.plinth.platform.registry.IdentityMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The optional {@code identity} member of a create request: {@code {"mode":"realm"}}, {@code
 * {"mode":"organization"}} (each with optional {@code redirectUris} for the tenant's app client),
 * or {@code {"mode":"external","issuer":"https://…","audience":"…"}}. Without it, or without a
 * mode, the installation's default mode applies.
 */
public record IdentityRequest(
    Optional<IdentityMode> mode, String issuer, String audience, List<String> redirectUris) {

  public static final IdentityRequest DEFAULT =
      new IdentityRequest(Optional.empty(), null, null, List.of());

  private static final Set<String> MEMBERS = Set.of("mode", "issuer", "audience", "redirectUris");
  private static final int MAX_REDIRECT_URIS = 20;
  private static final int MAX_TEXT = 500;

  /** Reads the member, adding one error per problem; {@link #DEFAULT} when absent. */
  public static IdentityRequest from(Object value, List<Problem.FieldError> errors) {
    if (value == null) {
      return DEFAULT;
    }
    if (!(value instanceof JsonObject body)) {
      errors.add(new Problem.FieldError("identity", "an object such as {\"mode\":\"realm\"}"));
      return DEFAULT;
    }
    int before = errors.size();
    body.fieldNames().stream()
        .filter(name -> !MEMBERS.contains(name))
        .sorted()
        .forEach(name -> errors.add(new Problem.FieldError("identity." + name, "unknown field")));
    Optional<IdentityMode> mode = Optional.empty();
    Object modeValue = body.getValue("mode");
    if (modeValue != null) {
      mode = modeValue instanceof String s ? IdentityMode.ofWire(s) : Optional.empty();
      if (mode.isEmpty()) {
        errors.add(new Problem.FieldError("identity.mode", "one of realm, organization, external"));
      }
    }
    boolean external = mode.filter(m -> m == IdentityMode.EXTERNAL).isPresent();
    String issuer = null;
    String audience = null;
    List<String> redirectUris = List.of();
    if (external) {
      issuer = issuer(body.getValue("issuer"), errors);
      audience = text(body.getValue("audience"), "identity.audience", errors);
      if (body.containsKey("redirectUris")) {
        errors.add(
            new Problem.FieldError(
                "identity.redirectUris", "only for realm and organization modes"));
      }
    } else {
      for (String member : List.of("issuer", "audience")) {
        if (body.containsKey(member)) {
          errors.add(new Problem.FieldError("identity." + member, "only for external mode"));
        }
      }
      redirectUris = redirectUris(body.getValue("redirectUris"), errors);
    }
    return errors.size() > before
        ? DEFAULT
        : new IdentityRequest(mode, issuer, audience, redirectUris);
  }

  private static String issuer(Object value, List<Problem.FieldError> errors) {
    String text = text(value, "identity.issuer", errors);
    if (text == null) {
      return null;
    }
    if (!isHttpUrl(text)) {
      errors.add(
          new Problem.FieldError(
              "identity.issuer", "an http(s) URL without query or fragment, the tokens' iss"));
      return null;
    }
    return text;
  }

  private static String text(Object value, String field, List<Problem.FieldError> errors) {
    if (!(value instanceof String s) || s.isBlank() || s.length() > MAX_TEXT) {
      errors.add(new Problem.FieldError(field, "is required: 1 to " + MAX_TEXT + " characters"));
      return null;
    }
    return s;
  }

  private static List<String> redirectUris(Object value, List<Problem.FieldError> errors) {
    if (value == null) {
      return List.of();
    }
    String field = "identity.redirectUris";
    if (!(value instanceof JsonArray array) || array.size() > MAX_REDIRECT_URIS) {
      errors.add(new Problem.FieldError(field, "up to " + MAX_REDIRECT_URIS + " URLs"));
      return List.of();
    }
    List<String> uris = new ArrayList<>();
    for (Object entry : array) {
      // A pattern may end in '*' (Keycloak's wildcard), but must name a site: '*' alone would
      // let any site receive the tenant's users' authorization codes.
      if (!(entry instanceof String uri)
          || uri.length() > MAX_TEXT
          || !isHttpUrl(uri.endsWith("*") ? uri.substring(0, uri.length() - 1) : uri)) {
        errors.add(new Problem.FieldError(field, "each an absolute http(s) URL, '*' at the end"));
        return List.of();
      }
      uris.add(uri);
    }
    return List.copyOf(uris);
  }

  static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null
          && uri.getRawUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
