package io.plinth.platform.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for setting values. Each throws {@link IllegalArgumentException} with a reason. */
public final class Parsers {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern HOST_PORT =
      Pattern.compile("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+]|[A-Za-z0-9.\\-]+:\\d{1,5}");

  /** One label of a DNS name: letters, digits and '-', neither first nor last. */
  private static final String DNS_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

  private static final Pattern DNS_NAME =
      Pattern.compile(DNS_LABEL + "(\\." + DNS_LABEL + ")*\\.?");

  /** A Kubernetes object name such as a Service or namespace (RFC 1123 label). */
  private static final Pattern KUBERNETES_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private Parsers() {}

  public static String text(String text) {
    return text.trim();
  }

  public static String nonBlank(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return text.trim();
  }

  public static Secret secret(String text) {
    return new Secret(text);
  }

  /** A TCP port; 0 asks the operating system for a free one. */
  public static int port(String text) {
    int port = integer(text, 0, 65535, "a port number (0-65535)");
    return port;
  }

  public static Setting.Parser<Integer> intBetween(int min, int max) {
    return text -> integer(text, min, max, "a whole number from " + min + " to " + max);
  }

  private static int integer(String text, int min, int max, String expected) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with what was expected
    }
    throw new IllegalArgumentException("expected " + expected);
  }

  public static boolean bool(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 10s, 2m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** A duration of at least 10ms, for what a timer repeats. */
  public static Duration period(String text) {
    Duration period = duration(text);
    if (period.toMillis() < 10) {
      throw new IllegalArgumentException("expected a duration of at least 10ms");
    }
    return period;
  }

  /**
   * How long a usage count runs: from 1s to 1m and dividing a minute evenly, so that counts never
   * straddle the series' steps of 60 s and 600 s.
   */
  public static Duration usagePeriod(String text) {
    Duration period = duration(text);
    long ms = period.toMillis();
    if (ms < 1_000 || ms > 60_000 || 60_000 % ms != 0) {
      throw new IllegalArgumentException("expected a duration from 1s to 1m that divides 1m");
    }
    return period;
  }

  /** How long usage is kept: at least the 24 hours the series shows. */
  public static Duration usageRetention(String text) {
    Duration retention = duration(text);
    if (retention.compareTo(Duration.ofHours(24)) < 0) {
      throw new IllegalArgumentException("expected at least 24h, the longest range shown");
    }
    return retention;
  }

  /**
   * A {@code postgresql://host:port/database} URL, without credentials (they have own settings).
   */
  public static URI postgresUrl(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (Exception e) {
      throw new IllegalArgumentException("expected a URL like postgresql://host:5432/database");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getPath() == null
        || uri.getPath().length() < 2) {
      throw new IllegalArgumentException("expected a URL like postgresql://host:5432/database");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "put the user and password in their own settings, not in the URL");
    }
    return uri;
  }

  /** A comma-separated list, each element parsed by {@code element}; empty text gives none. */
  public static <T> Setting.Parser<List<T>> listOf(Setting.Parser<T> element) {
    return text ->
        text.isBlank()
            ? List.of()
            : Arrays.stream(text.split(",")).map(String::trim).map(element::parse).toList();
  }

  /** An enum constant written in lower case, e.g. {@code dns} for {@code DNS}. */
  public static <E extends Enum<E>> Setting.Parser<E> lowerCaseEnum(Class<E> type) {
    E[] constants = type.getEnumConstants();
    String expected =
        "expected one of "
            + String.join(
                ", ",
                Arrays.stream(constants)
                    .map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                    .toList());
    return text -> {
      for (E constant : constants) {
        if (constant.name().equalsIgnoreCase(text.trim())) {
          return constant;
        }
      }
      throw new IllegalArgumentException(expected);
    };
  }

  /** A DNS name such as {@code plinth-hazelcast.plinth.svc.cluster.local}, or empty. */
  public static String dnsNameOrEmpty(String text) {
    String t = text.trim();
    if (!t.isEmpty() && (t.length() > 253 || !DNS_NAME.matcher(t).matches())) {
      throw new IllegalArgumentException("expected a DNS name such as plinth-hazelcast.plinth.svc");
    }
    return t;
  }

  /** A Kubernetes object name (lower-case letters, digits and '-', at most 63), or empty. */
  public static String kubernetesNameOrEmpty(String text) {
    String t = text.trim();
    if (!t.isEmpty() && !KUBERNETES_NAME.matcher(t).matches()) {
      throw new IllegalArgumentException(
          "expected a Kubernetes name: lower-case letters, digits and '-', at most 63");
    }
    return t;
  }

  /** An {@code http://} or {@code https://} URL with a host. */
  public static URI httpUrl(String text) {
    try {
      URI uri = new URI(text.trim());
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below with what was expected
    }
    throw new IllegalArgumentException("expected a URL like https://kubernetes.default.svc");
  }

  /** {@code host} or {@code host:port}. */
  public static String hostPort(String text) {
    String t = text.trim();
    if (!HOST_PORT.matcher(t).matches()) {
      throw new IllegalArgumentException("expected host or host:port, got '" + t + "'");
    }
    return t;
  }
}
