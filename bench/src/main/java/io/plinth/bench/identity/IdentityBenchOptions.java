package io.plinth.bench.identity;

import io.plinth.bench.run.Args;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The options of {@code bench/identity}, parsed on their own so they can be tested without a
 * Keycloak.
 *
 * @param realms sizes (tenant realms, and organizations in the shared realm) at which the realm and
 *     organization modes are measured, ascending
 * @param baseline sizes at which the baseline (separate calls as master {@code admin}) is measured,
 *     ascending; empty to skip it
 * @param baselineLimitSeconds the baseline series stops once one tenant's setup takes longer
 * @param samples requests per latency figure (admin call, token request)
 * @param setupSamples tenants set up per mode at each size for the setup figures
 * @param organizations whether the organization series runs
 * @param realmSeries whether the realm series (baseline, realm, master service account) runs
 * @param keycloakOptions more {@code kc.sh start-dev} options, for every Keycloak the bench starts
 * @param creatorToken the create-realm service account's tokens: {@code regular} (every role it
 *     holds, which grows with each realm it makes), {@code lightweight} (no roles in the token;
 *     Keycloak resolves them per call) or {@code scoped} (its client's scope is {@code
 *     create-realm} only, so the token carries that role alone)
 * @param fillAsCreator whether the realms between sizes are made by the create-realm account (true)
 *     or by master {@code admin} (false)
 */
record IdentityBenchOptions(
    List<Integer> realms,
    List<Integer> baseline,
    double baselineLimitSeconds,
    int samples,
    int setupSamples,
    boolean organizations,
    boolean realmSeries,
    List<String> keycloakOptions,
    String creatorToken,
    boolean fillAsCreator) {

  static final String USAGE =
      """
      usage: bench/identity [--realms 10,100,300] [--baseline 10,50,100,200 | none]
                            [--baseline-limit-seconds 30] [--samples 30] [--setup-samples 3]
                            [--only realms | organizations] [--keycloak-option --opt=value]...
                            [--creator-token regular|lightweight|scoped] [--fill-as admin|creator]
        --realms    sizes for the realm and organization modes (tenant realms / organizations)
        --baseline  sizes for the baseline (separate admin calls as master admin); it stops once
                    one tenant's setup takes over --baseline-limit-seconds
        --samples   requests per latency figure; --setup-samples: tenants per mode and size
        --creator-token  the create-realm service account's (mode c) tokens: regular (the
                    roles it holds, one set per realm it made), lightweight (no roles) or scoped
                    (its client's scope is create-realm alone)
        --fill-as   who makes the realms between sizes: master admin (default) or the
                    create-realm account
        --keycloak-option  passed to kc.sh start-dev (repeatable), e.g.
                    --keycloak-option --cache-embedded-realms-max-count=50000
                    (Keycloak runs with 100000 unless given; 10000 is Keycloak's own default)
        a quick check: bench/identity --realms 10,30 --baseline 10 --samples 10""";

  IdentityBenchOptions {
    realms = List.copyOf(realms);
    baseline = List.copyOf(baseline);
    keycloakOptions = List.copyOf(keycloakOptions);
  }

  /** Every size the realm series stops at: the union of both lists, ascending. */
  List<Integer> realmCheckpoints() {
    TreeSet<Integer> all = new TreeSet<>(realms);
    all.addAll(baseline);
    return List.copyOf(all);
  }

  static IdentityBenchOptions parse(String... command) {
    List<Integer> realms = List.of(10, 100, 300);
    List<Integer> baseline = List.of(10, 50, 100, 200);
    double limit = 30;
    int samples = 30;
    int setupSamples = 3;
    boolean organizations = true;
    boolean realmSeries = true;
    List<String> keycloakOptions = new ArrayList<>();
    String creatorToken = "regular";
    boolean fillAsCreator = false;
    Args args = new Args(command);
    while (args.next()) {
      String option = args.option();
      switch (option) {
        case "--realms" -> realms = sizes(option, args.value(), false);
        case "--baseline" -> baseline = sizes(option, args.value(), true);
        case "--baseline-limit-seconds" -> limit = Args.positiveNumber(option, args.value());
        case "--samples" -> samples = Args.positiveWhole(option, args.value());
        case "--setup-samples" -> setupSamples = Args.positiveWhole(option, args.value());
        case "--only" -> {
          String which = args.value();
          switch (which) {
            case "realms" -> organizations = false;
            case "organizations" -> realmSeries = false;
            default ->
                throw new IllegalArgumentException(
                    "--only takes realms or organizations, not " + which);
          }
        }
        case "--keycloak-option" -> keycloakOptions.add(keycloakOption(args.value()));
        case "--creator-token" -> creatorToken = creatorToken(args.value());
        case "--fill-as" -> fillAsCreator = fillAsCreator(args.value());
        default -> throw args.unknown();
      }
    }
    return new IdentityBenchOptions(
        realms,
        baseline,
        limit,
        samples,
        setupSamples,
        organizations,
        realmSeries,
        keycloakOptions,
        creatorToken,
        fillAsCreator);
  }

  private static String keycloakOption(String kc) {
    if (!kc.startsWith("--")) {
      throw new IllegalArgumentException("--keycloak-option takes a kc.sh option: " + kc);
    }
    return kc;
  }

  private static String creatorToken(String kind) {
    if (!List.of("regular", "lightweight", "scoped").contains(kind)) {
      throw new IllegalArgumentException(
          "--creator-token takes regular, lightweight or scoped, not " + kind);
    }
    return kind;
  }

  private static boolean fillAsCreator(String who) {
    return switch (who) {
      case "admin" -> false;
      case "creator" -> true;
      default -> throw new IllegalArgumentException("--fill-as takes admin or creator, not " + who);
    };
  }

  /** "10,100,300" as an ascending list without repeats; "none" is empty where allowed. */
  static List<Integer> sizes(String option, String text, boolean noneAllowed) {
    if (noneAllowed && text.equals("none")) {
      return List.of();
    }
    TreeSet<Integer> sizes = new TreeSet<>();
    for (String part : text.split(",", -1)) {
      int size = Args.positiveWhole(option, part.strip());
      if (size > 10_000) {
        throw new IllegalArgumentException(option + ": at most 10000, not " + size);
      }
      sizes.add(size);
    }
    return List.copyOf(sizes);
  }
}
