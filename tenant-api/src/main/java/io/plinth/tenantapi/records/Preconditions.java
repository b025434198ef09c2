package io.plinth.tenantapi.records;

import io.plinth.platform.http.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conditional requests on a record's ETag ({@code "<version>"}), as RFC 9110 section 13 has them:
 * {@code If-None-Match} compares weakly and takes {@code *} or a list; {@code If-Match} compares
 * strongly and takes {@code *} or a list.
 */
final class Preconditions {

  private Preconditions() {}

  /** {@code "<version>"}: a record's version changes with every write. */
  static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** Whether {@code If-None-Match} matches the record, so a GET answers 304. */
  static boolean noneMatchHits(String header, long version) {
    if (header == null) {
      return false;
    }
    String current = etag(version);
    for (String tag : header.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(current)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The versions {@code If-Match} allows: empty when there is no header or it is {@code *} (any
   * version will do); else those of its strong ETags (a weak one never matches, so a list of only
   * weak ones allows none).
   *
   * @throws ProblemException 400 {@code invalid_if_match} when it is not a list of ETags
   */
  static Optional<List<Long>> ifMatchVersions(String header) {
    if (header == null || header.trim().equals("*")) {
      return Optional.empty();
    }
    List<Long> versions = new ArrayList<>();
    for (String tag : header.split(",", -1)) {
      String t = tag.trim();
      boolean weak = t.startsWith("W/");
      String quoted = weak ? t.substring(2) : t;
      if (quoted.length() < 3 || !quoted.startsWith("\"") || !quoted.endsWith("\"")) {
        throw invalid();
      }
      String inner = quoted.substring(1, quoted.length() - 1);
      if (inner.indexOf('"') >= 0) {
        throw invalid(); // an entity-tag holds no quote (RFC 9110, etagc)
      }
      if (!inner.matches("\\d{1,18}")) {
        // Not one of ours: it matches no version, which is not a malformed header.
        continue;
      }
      if (!weak) {
        versions.add(Long.parseLong(inner));
      }
    }
    return Optional.of(versions);
  }

  private static ProblemException invalid() {
    return new ProblemException(400, "invalid_if_match", "If-Match takes ETags of this record");
  }
}
