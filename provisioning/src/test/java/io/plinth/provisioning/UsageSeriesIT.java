package io.plinth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.registry.UsageMinutes;
import io.plinth.platform.usage.LatencyHistogram;
import io.plinth.platform.usage.UsageCounts;
import io.plinth.platform.usage.UsageRecorder;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The usage tables against a real PostgreSQL and control plane: what several data-plane nodes write
 * for the same minute adds up (p99 from the merged histograms), the control plane measures storage
 * and prunes what is past the retention. The data plane's own counting of {@code /v1} requests is
 * tested in tenant-api ({@code ConsoleOpsIT}).
 */
class UsageSeriesIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final ControlPlane plane = new ControlPlane();
  private static PlinthClient admin;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    admin =
        plane.start(
            io.plinth.provisioning.workflow.StepObserver.NONE,
            Map.of("plinth.usage.sample-interval", "1s"));
    vertx = Vertx.vertx();
    URI url = URI.create(plane.database.url().replace("jdbc:", ""));
    pool =
        PgBuilder.pool()
            .connectingTo(
                new PgConnectOptions()
                    .setHost(url.getHost())
                    .setPort(url.getPort())
                    .setDatabase(plane.database.name())
                    .setUser(plane.database.user())
                    .setPassword(plane.database.password()))
            .using(vertx)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    plane.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void twoNodesCountsOfOneMinuteAddUpAndTheirP99IsThatOfAllTheRequests() throws Exception {
    JsonObject tenant = newTenant();
    UUID id = UUID.fromString(tenant.getString("id"));
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // Node a: 980 requests of 2 ms; node b: 20 of 800 ms, 20 errors. Alone, a's p99 is 2 ms; of
    // all 1,000 requests, 2 % are slow, so the p99 is b's bucket.
    write(minute, new UsageCounts(id, 980, 0, histogram(980, 2)));
    write(minute, new UsageCounts(id, 20, 20, histogram(20, 800)));

    JsonObject last = lastPoint(series("range=1h&tenant=" + tenant.getString("slug")));
    assertThat(last.getString("at")).isEqualTo(minute.toString());
    assertThat(last.getLong("requests")).isEqualTo(1000);
    assertThat(last.getLong("errors")).isEqualTo(20);
    assertThat(last.getDouble("errorRate")).isEqualTo(0.02);
    assertThat(last.getDouble("p99Ms")).isBetween(800.0, 800 * Math.sqrt(2));

    JsonObject platform = lastPoint(series("range=1h"));
    assertThat(platform.getLong("requests")).isGreaterThanOrEqualTo(1000);
    assertThat(platform.getDouble("p99Ms")).isBetween(800.0, 800 * Math.sqrt(2));

    // The control plane measures the tenant that had traffic: its (empty) schema takes space.
    JsonObject measured =
        Eventually.poll(
            WITHIN,
            () -> lastPoint(series("range=1h&tenant=" + tenant.getString("slug"))),
            point -> point.getValue("storageBytes") != null);
    assertThat(measured.getLong("rows")).isZero();
    assertThat(measured.getLong("storageBytes")).isPositive();
  }

  @Test
  void whatIsPastTheRetentionIsPrunedButATenantsLatestMeasurementStays() throws Exception {
    JsonObject tenant = newTenant();
    String slug = tenant.getString("slug");
    UUID id = UUID.fromString(tenant.getString("id"));
    // Suspended, the tenant is measured no more: its measurements are the two old ones below.
    assertThat(admin.postJson("/admin/v1/tenants/" + slug + ":suspend", new JsonObject()).status())
        .isEqualTo(200);
    Instant old = Instant.now().minus(Duration.ofHours(25)).truncatedTo(ChronoUnit.MINUTES);
    write(old, new UsageCounts(id, 5, 0, histogram(5, 1)));
    execute("DELETE FROM plinth.usage_storage WHERE tenant_id = '" + id + "'");
    execute(
        "INSERT INTO plinth.usage_storage VALUES ('"
            + id
            + "', now() - interval '27 hours', 1, 10), ('"
            + id
            + "', now() - interval '26 hours', 2, 20)");
    String minutes = "SELECT count(*) FROM plinth.usage_minutes WHERE tenant_id = '" + id + "'";
    String samples = "SELECT count(*) FROM plinth.usage_storage WHERE tenant_id = '" + id + "'";

    Eventually.poll(WITHIN, () -> count(minutes) + count(samples), n -> n == 1);
    assertThat(count("SELECT rows FROM plinth.usage_storage WHERE tenant_id = '" + id + "'"))
        .as("the latest measurement stays, however old")
        .isEqualTo(2);
    JsonArray points = series("range=24h&tenant=" + slug).getJsonArray("points");
    assertThat(points.getJsonObject(0).getLong("rows"))
        .as("a measurement from before the range holds until the next")
        .isEqualTo(2);
    assertThat(points.stream().mapToLong(p -> ((JsonObject) p).getLong("requests")).sum()).isZero();
  }

  private static void execute(String sql) throws Exception {
    try (Connection db = plane.database.connect();
        Statement st = db.createStatement()) {
      st.execute(sql);
    }
  }

  private static JsonObject newTenant() {
    PlinthClient.Response created =
        admin.postJson(
            "/admin/v1/tenants",
            RegistryQueries.newTenant("u-" + UUID.randomUUID().toString().substring(0, 8)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  /** Writes one node's counts of a minute, as a data-plane node's flush does. */
  private static void write(Instant minute, UsageCounts counts) throws Exception {
    new UsageMinutes(pool)
        .add(new UsageRecorder.Period(minute, List.of(counts)))
        .await(10, TimeUnit.SECONDS);
  }

  private static long[] histogram(int requests, double ms) {
    long[] counts = new long[LatencyHistogram.BUCKETS];
    counts[LatencyHistogram.bucketOf((long) (ms * 1e6))] = requests;
    return LatencyHistogram.trimmed(counts);
  }

  private static JsonObject series(String query) {
    PlinthClient.Response response = admin.get("/admin/v1/usage/series?" + query);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static JsonObject lastPoint(JsonObject series) {
    JsonArray points = series.getJsonArray("points");
    return points.getJsonObject(points.size() - 1);
  }

  private static int count(String sql) {
    try (Connection db = plane.database.connect();
        Statement st = db.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
