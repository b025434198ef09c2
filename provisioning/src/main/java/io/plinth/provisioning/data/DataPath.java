package io.plinth.provisioning.data;

import io.plinth.platform.http.ProblemException;
import io.plinth.provisioning.admin.AdminApi;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The part of an operator's data request that goes to the data plane: the raw path after {@code
 * /tenants/{slug}/data/}, forwarded as {@code /v1/<path>} byte for byte. A path that could leave
 * {@code /v1} once the data plane decodes or normalises it is refused rather than cleaned up, so
 * what is forwarded is always what the operator sent.
 */
public record DataPath(String raw) {

  /** An encoded slash or backslash, or a NUL: one segment could become two on the far side. */
  private static final Pattern ENCODED_SEPARATOR = Pattern.compile("%(2f|5c|00)");

  /**
   * @param raw the request's path after {@code /data/}, still percent-encoded
   * @throws ProblemException 400 {@code invalid_path} for a path that is empty, has an empty, dot
   *     or dot-dot segment (encoded or not), an encoded slash or backslash, or a backslash; 404
   *     {@code not_forwarded} for a change stream, which is long-lived and not proxied
   */
  public static DataPath of(String raw) {
    if (raw.isEmpty()) {
      throw invalid("a path under /v1 is required, e.g. collections");
    }
    if (raw.indexOf('\\') >= 0 || ENCODED_SEPARATOR.matcher(raw.toLowerCase(Locale.ROOT)).find()) {
      throw invalid("the path may not contain encoded slashes or backslashes");
    }
    List<String> segments = List.of(raw.split("/", -1));
    for (String segment : segments) {
      String decoded = decode(segment);
      if (decoded.isEmpty() || decoded.equals(".") || decoded.equals("..")) {
        throw invalid("the path may not have empty, '.' or '..' segments");
      }
    }
    if (segments.size() >= 3
        && decode(segments.get(0)).equals("collections")
        && decode(segments.get(2)).equals("changes")) {
      throw new ProblemException(
          404, "not_forwarded", "change streams are not forwarded to the data plane");
    }
    return new DataPath(raw);
  }

  /** The data plane's path, with the query string if there is one. */
  public String target(String query) {
    return "/v1/" + raw + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  /**
   * The operator's path for a data-plane {@code Location}: {@code /v1/<path>} becomes {@code
   * /admin/v1/tenants/<slug>/data/<path>}; anything else comes back as it was.
   */
  public static String location(String slug, String location) {
    return location.startsWith("/v1/")
        ? AdminApi.BASE + "/tenants/" + slug + "/data/" + location.substring("/v1/".length())
        : location;
  }

  private static String decode(String segment) {
    try {
      // Not a form: '+' is a plus in a path.
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("the path is not valid percent-encoding");
    }
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(400, "invalid_path", detail);
  }
}
