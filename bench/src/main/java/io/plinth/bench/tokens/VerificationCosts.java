package io.plinth.bench.tokens;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.plinth.bench.report.TextTable;
import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.PlatformHttp;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import io.plinth.bench.tokens.TokenVerificationBench.SignedIn;
import io.plinth.platform.identity.IssuerKeys;
import io.plinth.platform.identity.JwtVerifier;
import io.plinth.platform.identity.TokenExpectation;
import io.plinth.platform.server.Infrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of verifying a real Keycloak token: over HTTP, {@code GET /v1/collections} with the
 * publishable key alone and with key and token, one request after the other, in runs after a
 * warm-up; and {@link JwtVerifier#verify} alone in this JVM with the issuer's keys cached (what a
 * node spends per token). Each run's figure is an average over its requests.
 */
final class VerificationCosts {

  private static final String PATH = "/v1/collections";
  private static final int HTTP_WARM_UP = 2_000;
  private static final int HTTP_REQUESTS = 5_000;
  private static final int HTTP_RUNS = 3;
  private static final int VERIFY_TOKENS = 20_000;
  private static final int VERIFY_RUNS = 4;

  private final PlatformHttp http;
  private final BenchPlatform platform;
  private final SignedIn user;
  private final List<String> httpLines = new ArrayList<>();
  private final List<String> verifierLines = new ArrayList<>();
  private final AtomicLong unexpected = new AtomicLong();

  VerificationCosts(PlatformHttp http, BenchPlatform platform, SignedIn user) {
    this.http = http;
    this.platform = platform;
    this.user = user;
  }

  /** Key only against key and token, the two requests one after the other, each timed. */
  void overHttp() {
    HttpRequest keyOnly = request().build();
    HttpRequest withToken = request().header("Authorization", "Bearer " + user.token()).build();
    Progress.say(
        "GET "
            + PATH
            + ": "
            + HTTP_WARM_UP
            + " warm-up requests of each, then "
            + HTTP_RUNS
            + " runs of "
            + HTTP_REQUESTS);
    Sampling.nanos(HTTP_WARM_UP, () -> get(keyOnly) + get(withToken));
    for (int run = 0; run < HTTP_RUNS; run++) {
      long keyNanos = 0;
      long tokenNanos = 0;
      for (int i = 0; i < HTTP_REQUESTS; i++) {
        keyNanos += get(keyOnly);
        tokenNanos += get(withToken);
      }
      httpLines.add(
          String.format(
              Locale.ROOT,
              "GET %s, %d sequential requests each: key only %.1f µs, key + Keycloak token %.1f"
                  + " µs, difference %.1f µs per request",
              PATH,
              HTTP_REQUESTS,
              keyNanos / 1e3 / HTTP_REQUESTS,
              tokenNanos / 1e3 / HTTP_REQUESTS,
              (tokenNanos - keyNanos) / 1e3 / HTTP_REQUESTS));
      Progress.say("  " + httpLines.get(run));
    }
  }

  /** The data plane's verifier on the data-plane node's cluster, the keys fetched once first. */
  void verifierAlone() throws Exception {
    Infrastructure infra = platform.local().dataPlane().infrastructure();
    JwtVerifier verifier =
        new JwtVerifier(
            new IssuerKeys(infra.cluster(), infra.vertx(), new SimpleMeterRegistry()),
            Clock.systemUTC(),
            JwtVerifier.DEFAULT_SKEW);
    TokenExpectation expected = new TokenExpectation(user.issuer(), user.audience());
    verifier.verify(expected, user.token()).await(10, TimeUnit.SECONDS); // fetches the keys
    Progress.say("JwtVerifier.verify: " + VERIFY_RUNS + " runs of " + VERIFY_TOKENS + " tokens");
    for (int run = 0; run < VERIFY_RUNS; run++) {
      long started = System.nanoTime();
      for (int i = 0; i < VERIFY_TOKENS; i++) {
        verifier.verify(expected, user.token()).await(10, TimeUnit.SECONDS);
      }
      verifierLines.add(
          String.format(
              Locale.ROOT,
              "JwtVerifier.verify, RS256 token of Keycloak, keys cached: %.1f µs per token",
              (System.nanoTime() - started) / 1e3 / VERIFY_TOKENS));
      Progress.say("  " + verifierLines.get(run));
    }
  }

  /** Answers other than 200 over HTTP (a token refused, a tenant busy): the runs do not count. */
  long unexpectedAnswers() {
    return unexpected.get();
  }

  void report(TextTable t) {
    t.section("Token verification: a real Keycloak RS256 token, the issuer's keys cached");
    t.line("  over HTTP, one request at a time (after " + HTTP_WARM_UP + " of each):");
    httpLines.forEach(line -> t.line("    " + line));
    t.line("  in this JVM, one token after the other:");
    verifierLines.forEach(line -> t.line("    " + line));
    t.line("  unexpected answers (not 200) over HTTP: " + unexpected.get());
  }

  private HttpRequest.Builder request() {
    return HttpRequest.newBuilder(URI.create(platform.dataPlaneUrl() + PATH))
        .timeout(PlatformHttp.TIMEOUT)
        .header("apikey", user.publishableKey())
        .GET();
  }

  /** One request, timed; an answer other than 200 is counted, and its first ones shown. */
  private long get(HttpRequest request) {
    PlatformHttp.Response response = http.send(request);
    if (response.status() != 200 && unexpected.incrementAndGet() <= 5) {
      Progress.say("unexpected " + response.status() + ": " + response.body());
    }
    return response.nanos();
  }
}
