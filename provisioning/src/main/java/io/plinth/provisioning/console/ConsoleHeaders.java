package io.plinth.provisioning.console;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The security headers of every console response: a Content-Security-Policy that allows scripts
 * from the control plane only (and the one inline import map, by its hash: no inline script
 * otherwise, no {@code eval}), connections and form posts to Keycloak as well, and no framing; no
 * MIME sniffing; no referrer (the console's URLs name tenants).
 */
public final class ConsoleHeaders {

  public static final String ONE_YEAR = "public, max-age=31536000, immutable";
  public static final String REVALIDATE = "no-cache";

  private ConsoleHeaders() {}

  /**
   * @param importMapHash {@code sha256-<base64>} of the inline import map, if any
   * @param keycloak the Keycloak the console signs in at, if any
   */
  public static Map<String, String> of(Optional<String> importMapHash, Optional<URI> keycloak) {
    String kc = keycloak.map(ConsoleHeaders::origin).map(o -> " " + o).orElse("");
    String scripts = "'self'" + importMapHash.map(h -> " '" + h + "'").orElse("");
    String policy =
        String.join(
            "; ",
            "default-src 'self'",
            "script-src " + scripts,
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'" + kc,
            "form-action 'self'" + kc,
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Security-Policy", policy);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Cross-Origin-Opener-Policy", "same-origin");
    return Map.copyOf(headers);
  }

  /** {@code scheme://host[:port]} of a URL. */
  static String origin(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }
}
