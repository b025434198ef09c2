package io.plinth.tenantapi.metrics;

import io.vertx.core.http.HttpMethod;

/**
 * What kind of {@code /v1} request this is, as the {@code route} tag of the tenant metrics: a few
 * fixed values, never a path (paths hold collection names and record ids).
 */
public enum RouteClass {
  RECORDS_READ("records.read"),
  RECORDS_WRITE("records.write"),
  QUERY("query"),
  COLLECTIONS("collections"),
  CHANGES("changes"),
  IDENTITY("identity"),
  OTHER("other");

  private static final String COLLECTIONS_PATH = "/v1/collections";

  private final String tag;

  RouteClass(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  /** Classifies by method and path without allocating (this runs once per request). */
  public static RouteClass of(HttpMethod method, String path) {
    if (path == null) {
      return OTHER;
    }
    if (path.startsWith("/v1/identity")) {
      return IDENTITY;
    }
    if (!path.startsWith(COLLECTIONS_PATH)) {
      return OTHER;
    }
    int end = path.endsWith("/") ? path.length() - 1 : path.length();
    int at = COLLECTIONS_PATH.length();
    if (at >= end) {
      return COLLECTIONS; // /v1/collections
    }
    if (path.charAt(at) != '/') {
      return OTHER;
    }
    int afterName = path.indexOf('/', at + 1);
    if (afterName < 0 || afterName >= end) {
      return COLLECTIONS; // /v1/collections/{c}
    }
    int afterKind = path.indexOf('/', afterName + 1);
    boolean hasId = afterKind >= 0 && afterKind < end;
    int kindEnd = hasId ? afterKind : end;
    if (isSegment(path, afterName + 1, kindEnd, "changes")) {
      return hasId ? OTHER : CHANGES;
    }
    if (!isSegment(path, afterName + 1, kindEnd, "records")) {
      return OTHER;
    }
    if (hasId) {
      if (path.indexOf('/', afterKind + 1) >= 0 && path.indexOf('/', afterKind + 1) < end) {
        return OTHER;
      }
      return method == HttpMethod.GET || method == HttpMethod.HEAD ? RECORDS_READ : RECORDS_WRITE;
    }
    return method == HttpMethod.GET || method == HttpMethod.HEAD ? QUERY : RECORDS_WRITE;
  }

  private static boolean isSegment(String path, int from, int to, String segment) {
    return to - from == segment.length() && path.regionMatches(from, segment, 0, segment.length());
  }
}
