package io.plinth.provisioning;

import static io.plinth.provisioning.RegistryQueries.count;
import static io.plinth.provisioning.RegistryQueries.newTenant;
import static io.plinth.provisioning.RegistryQueries.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.registry.Tenant;
import io.plinth.provisioning.workflow.Step;
import io.plinth.provisioning.workflow.StepObserver;
import io.plinth.provisioning.workflow.StepObserver.Point;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failure injection into the provisioning workflow. A "crash" is a step observer that never
 * answers: the node is then stopped (the hung work is abandoned, its advisory-lock connection
 * closes) and a fresh node on the same database must resume the tenant to {@code active}. A
 * "failure" is an observer that fails: the tenant must be rolled back to {@code failed}, leaving
 * nothing behind, and be deletable and creatable again.
 */
class ProvisioningCrashIT {

  private static final Duration RESUMED_WITHIN = Duration.ofSeconds(30);
  private static final List<String> ALL_STEPS_DONE =
      List.of("identity=done", "keys=done", "migrations=done", "schema=done");

  private ControlPlane controlPlane;

  @BeforeEach
  void newControlPlane() {
    controlPlane = new ControlPlane();
  }

  @AfterEach
  void closeControlPlane() {
    controlPlane.close();
  }

  @ParameterizedTest(name = "a crash before {0}")
  @EnumSource(Step.class)
  void aCrashBeforeEachStepResumesToActiveOnRestart(Step step) throws Exception {
    crashesThenResumesToActive(step, Point.BEFORE);
  }

  @ParameterizedTest(name = "a crash after {0}")
  @EnumSource(Step.class)
  void aCrashAfterEachStepResumesToActiveOnRestart(Step step) throws Exception {
    crashesThenResumesToActive(step, Point.AFTER);
  }

  static Stream<Arguments> failingSteps() {
    return Stream.of(
        Arguments.of(Step.MIGRATIONS, Point.AFTER), Arguments.of(Step.KEYS, Point.AFTER));
  }

  @ParameterizedTest(name = "{0} fails {1} it ran")
  @MethodSource("failingSteps")
  void aFailingStepRollsBackToFailedAndTheSlugCanBeUsedAgainAfterDeletion(Step step, Point point)
      throws Exception {
    String slug = slug("fail", step, point);
    FailOnce failure = new FailOnce(step, point);
    PlinthClient client = controlPlane.start(failure, Map.of());

    PlinthClient.Response created = client.postJson("/admin/v1/tenants", newTenant(slug));

    assertThat(created.status()).as(created.body()).isEqualTo(500);
    assertThat(created.isProblem()).isTrue();
    assertThat(created.json().getString("code")).isEqualTo("provisioning_failed");
    assertThat(created.json().getString("tenant")).isEqualTo(slug);
    assertThat(created.json().getString("detail")).contains("injected");
    assertThat(failure.failed.get()).isTrue();

    PlinthClient.Response failed = client.get("/admin/v1/tenants/" + slug);
    assertThat(failed.status()).as(failed.body()).isEqualTo(200);
    assertThat(failed.json().getString("status")).isEqualTo("failed");
    assertThat(failed.json().getString("failure")).contains("injected");
    try (Connection db = controlPlane.database.connect()) {
      assertThat(schemaExists(db, Tenant.schemaFor(slug))).as("schema rolled back").isFalse();
      assertThat(keyCount(db, slug)).as("api_keys rows").isZero();
      assertThat(steps(db, slug)).as("provisioning_steps rows").isEmpty();
    }

    PlinthClient.Response deleting = client.delete("/admin/v1/tenants/" + slug);
    assertThat(deleting.status()).as(deleting.body()).isEqualTo(202);
    Eventually.poll(
        Duration.ofSeconds(10),
        () -> client.get("/admin/v1/tenants/" + slug),
        r -> r.status() == 404);

    PlinthClient.Response again = client.postJson("/admin/v1/tenants", newTenant(slug));
    assertThat(again.status()).as(again.body()).isEqualTo(201);
    assertThat(again.json().getString("status")).isEqualTo("active");
    assertThat(again.json().getString("id")).isNotEqualTo(failed.json().getString("id"));
    assertThat(again.json().getJsonArray("keys")).hasSize(2);
    assertProvisionedCompletely(slug);
  }

  private void crashesThenResumesToActive(Step step, Point point) throws Exception {
    String slug = slug("crash", step, point);
    CrashOnce crash = new CrashOnce(step, point);
    // A crash cuts the request in flight: no drain, the node's servers close at once.
    PlinthClient client = controlPlane.start(crash, Map.of("plinth.shutdown.timeout", "0ms"));

    CompletableFuture<PlinthClient.Response> interrupted =
        client.postJsonAsync("/admin/v1/tenants", newTenant(slug));
    assertThat(crash.reached.await(15, TimeUnit.SECONDS))
        .as("the workflow reached %s %s", point, step)
        .isTrue();
    controlPlane.stopNodes();

    PlinthClient.Response answer = interrupted.handle((r, e) -> r).get(10, TimeUnit.SECONDS);
    if (answer != null) {
      assertThat(answer.status()).as("the interrupted create never claims success").isNotIn(201);
    }
    try (Connection db = controlPlane.database.connect()) {
      assertThat(tenantStatus(db, slug)).as("a crash is not a failure").isEqualTo("provisioning");
    }

    PlinthClient restarted = controlPlane.start();
    JsonObject tenant =
        Eventually.poll(
                RESUMED_WITHIN,
                () -> restarted.get("/admin/v1/tenants/" + slug),
                r -> r.status() == 200 && "active".equals(r.json().getString("status")))
            .json();

    assertThat(tenant.getString("slug")).isEqualTo(slug);
    assertThat(tenant.getString("schemaVersion")).isEqualTo(ControlPlane.SHIPPED_VERSION);
    assertThat(tenant.containsKey("failure")).isFalse();
    assertProvisionedCompletely(slug);
  }

  /** The schema with its tables, exactly the two default keys, and every step recorded done. */
  private void assertProvisionedCompletely(String slug) throws SQLException {
    try (Connection db = controlPlane.database.connect()) {
      assertThat(schemaExists(db, Tenant.schemaFor(slug))).as("schema exists").isTrue();
      assertThat(tables(db, Tenant.schemaFor(slug)))
          .contains("plinth_collections", "flyway_schema_history");
      assertThat(keyCount(db, slug)).as("api_keys rows of %s", slug).isEqualTo(2);
      assertThat(steps(db, slug)).as("provisioning_steps").isEqualTo(ALL_STEPS_DONE);
    }
  }

  /** Hangs forever at one point of one step, for the first tenant that gets there. */
  private static final class CrashOnce implements StepObserver {
    private final Step step;
    private final Point point;
    private final AtomicReference<UUID> victim = new AtomicReference<>();
    final CountDownLatch reached = new CountDownLatch(1);

    CrashOnce(Step step, Point point) {
      this.step = step;
      this.point = point;
    }

    @Override
    public Future<Void> at(UUID tenant, Step atStep, Point atPoint) {
      if (atStep == step && atPoint == point && victim.compareAndSet(null, tenant)) {
        reached.countDown();
        return Promise.<Void>promise().future(); // the process "dies" here
      }
      return Future.succeededFuture();
    }
  }

  private static String slug(String prefix, Step step, Point point) {
    return (prefix + "-" + step.name() + "-" + point.name()).toLowerCase(Locale.ROOT);
  }

  private static boolean schemaExists(Connection db, String schema) throws SQLException {
    return !strings(db, "SELECT nspname FROM pg_namespace WHERE nspname = ?", schema).isEmpty();
  }

  private static List<String> tables(Connection db, String schema) throws SQLException {
    return strings(
        db, "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", schema);
  }

  /** The live (not deleted) tenant's status. */
  private static String tenantStatus(Connection db, String slug) throws SQLException {
    List<String> status =
        strings(
            db, "SELECT status FROM plinth.tenants WHERE slug = ? AND status <> 'deleted'", slug);
    assertThat(status).as("live tenants with slug %s", slug).hasSize(1);
    return status.get(0);
  }

  private static int keyCount(Connection db, String slug) throws SQLException {
    return count(
        db,
        "SELECT count(*)::text FROM plinth.api_keys k JOIN plinth.tenants t ON t.id ="
            + " k.tenant_id WHERE t.slug = ? AND t.status <> 'deleted'",
        slug);
  }

  /** The live tenant's provisioning steps as {@code step=state}, sorted by step. */
  private static List<String> steps(Connection db, String slug) throws SQLException {
    return strings(
        db,
        "SELECT s.step || '=' || s.state FROM plinth.provisioning_steps s JOIN plinth.tenants t ON"
            + " t.id = s.tenant_id WHERE t.slug = ? AND t.status <> 'deleted' ORDER BY s.step",
        slug);
  }
}
