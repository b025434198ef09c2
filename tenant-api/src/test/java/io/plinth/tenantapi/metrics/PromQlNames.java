package io.plinth.tenantapi.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: identifiers used as a selector (bare, or followed by
 * {@code {} or {@code [}), without functions, keywords, label names, strings, durations and
 * Grafana's {@code $variables}. Enough for the expressions Plinth ships, which a test checks
 * against what the nodes export; not a PromQL parser.
 */
public final class PromQlNames {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile(
          "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)",
          Pattern.CASE_INSENSITIVE);

  /** Grafana's {@code label_values(selector, label)}: the label is no metric. */
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.*),\\s*\\w+\\s*\\)\\s*$", Pattern.DOTALL);

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "inf",
          "nan",
          "le");

  private static final Pattern SELECTOR =
      Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^{}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

  private PromQlNames() {}

  /**
   * The label names each selector of the expression matches on, by metric name (a metric selected
   * twice gets the union): {@code rate(a{x="1"}[5m]) / a{y!=""}} gives {@code a -> [x, y]}.
   */
  public static java.util.Map<String, Set<String>> matchedLabels(String expr) {
    java.util.Map<String, Set<String>> labels = new java.util.TreeMap<>();
    String s = VARIABLE.matcher(expr).replaceAll(" 1 ");
    s = STRING.matcher(s).replaceAll("\"\""); // values may hold braces or operators
    Matcher selector = SELECTOR.matcher(s);
    while (selector.find()) {
      Set<String> names = labels.computeIfAbsent(selector.group(1), k -> new LinkedHashSet<>());
      Matcher matcher = MATCHER.matcher(selector.group(2));
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    return labels;
  }

  public static Set<String> of(String expr) {
    Matcher labelValues = LABEL_VALUES.matcher(expr.trim());
    String s = labelValues.matches() ? labelValues.group(1) : expr;
    s = VARIABLE.matcher(s).replaceAll(" 1 ");
    s = STRING.matcher(s).replaceAll(" ");
    String before;
    do { // label matchers hold no braces, but subqueries hold ranges: strip until stable
      before = s;
      s = MATCHERS.matcher(s).replaceAll(" ");
      s = RANGE.matcher(s).replaceAll(" ");
    } while (!s.equals(before));
    s = LABEL_LIST.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String name = m.group(1);
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }
}
