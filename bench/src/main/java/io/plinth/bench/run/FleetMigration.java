package io.plinth.bench.run;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs a fleet migration through the admin API ({@code POST /admin/v1/migrations}, then polls its
 * progress until it completes) and reports how long it took. The platform must have been started
 * with a tenant migration its tenants lack ({@link #BENCH_LOCATIONS}).
 */
public final class FleetMigration {

  /** The shipped tenant migrations plus one of the bench's own (a table and an index). */
  public static final String BENCH_LOCATIONS = "classpath:db/tenant,classpath:db/tenant-bench";

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration TIMEOUT = Duration.ofMinutes(60);

  /** What the migration's own progress said at the end, and the wall time around it. */
  public record Result(
      double wallSeconds,
      double serverSeconds,
      long total,
      long done,
      long failed,
      int parallelism,
      List<String> failures) {}

  private FleetMigration() {}

  public static Result run(AdminApi admin, Consumer<String> progress)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    URI status = start(admin, progress);
    JsonObject state = awaitCompletion(admin, status, started, progress);
    double wall = (System.nanoTime() - started) / 1e9;
    double server =
        Duration.between(
                    OffsetDateTime.parse(state.getString("createdAt")),
                    OffsetDateTime.parse(state.getString("finishedAt")))
                .toMillis()
            / 1000.0;
    List<String> failures = new ArrayList<>();
    JsonArray listed = state.getJsonArray("failures", new JsonArray());
    for (int i = 0; i < Math.min(5, listed.size()); i++) {
      failures.add(listed.getJsonObject(i).encode());
    }
    return new Result(
        wall,
        server,
        state.getLong("total"),
        state.getLong("done"),
        state.getLong("failed"),
        state.getInteger("parallelism"),
        failures);
  }

  /** POST /admin/v1/migrations; returns where its progress is. */
  private static URI start(AdminApi admin, Consumer<String> progress)
      throws IOException, InterruptedException {
    HttpResponse<String> accepted =
        admin
            .http()
            .client()
            .send(
                admin
                    .request("/admin/v1/migrations")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    String location = accepted.headers().firstValue("Location").orElse(null);
    if (accepted.statusCode() != 202 || location == null) {
      throw new IllegalStateException(
          "POST /admin/v1/migrations answered " + accepted.statusCode() + " " + accepted.body());
    }
    progress.accept("fleet migration: " + location);
    return admin.resolve(location);
  }

  /** Polls the migration's progress until it is completed; returns its last state. */
  private static JsonObject awaitCompletion(
      AdminApi admin, URI status, long started, Consumer<String> progress)
      throws IOException, InterruptedException {
    long lastShown = started;
    while (true) {
      Thread.sleep(POLL.toMillis());
      HttpResponse<String> polled =
          admin
              .http()
              .client()
              .send(
                  admin.request(status).GET().build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (polled.statusCode() != 200) {
        throw new IllegalStateException("GET " + status + " answered " + polled.statusCode());
      }
      JsonObject state = new JsonObject(polled.body());
      if ("completed".equals(state.getString("status"))) {
        return state;
      }
      long now = System.nanoTime();
      if (now - lastShown > 10_000_000_000L) {
        lastShown = now;
        progress.accept(
            String.format(
                Locale.ROOT,
                "fleet migration: %d done, %d failed, %d pending (%.0f s)",
                state.getLong("done"),
                state.getLong("failed"),
                state.getLong("pending"),
                (now - started) / 1e9));
      }
      if (now - started > TIMEOUT.toNanos()) {
        throw new IllegalStateException("the fleet migration did not finish: " + state);
      }
    }
  }
}
