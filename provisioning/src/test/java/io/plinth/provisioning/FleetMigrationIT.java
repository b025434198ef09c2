package io.plinth.provisioning;

import static io.plinth.provisioning.RegistryQueries.count;
import static io.plinth.provisioning.RegistryQueries.newTenant;
import static io.plinth.provisioning.RegistryQueries.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.registry.Tenant;
import io.plinth.provisioning.workflow.StepObserver;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fleet migrations: a new tenant-schema version ({@link ControlPlane#NEXT_MIGRATIONS}) is shipped
 * and applied to every tenant by a run that reports per-tenant failures and survives a restart.
 */
class FleetMigrationIT {

  private static final String MIGRATIONS = "/admin/v1/migrations";

  private ControlPlane controlPlane;

  @BeforeEach
  void newControlPlane() {
    controlPlane = new ControlPlane();
  }

  @AfterEach
  void closeControlPlane() {
    controlPlane.close();
  }

  @Test
  void aFleetMigrationAppliesTheNewVersionToEveryTenantAndReportsTheOneThatFails()
      throws Exception {
    List<String> slugs = createTenants(controlPlane.start(), "fleet", 50);
    String sabotaged = slugs.get(17);
    try (Connection db = controlPlane.database.connect();
        Statement st = db.createStatement()) {
      // The next migration (db/tenant-next) creates "notes": here it exists already, so it fails
      // in this tenant only.
      st.execute("CREATE TABLE " + Tenant.schemaFor(sabotaged) + ".notes (x int)");
    }
    controlPlane.stopNodes();
    PlinthClient client = controlPlane.start(StepObserver.NONE, nextVersion(4));

    PlinthClient.Response started = client.postJson(MIGRATIONS, new JsonObject());
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String location = started.header("Location").orElseThrow();
    assertThat(location).isEqualTo(MIGRATIONS + "/" + started.json().getString("id"));
    JsonObject run = completed(client, location, Duration.ofSeconds(60));

    assertThat(run.getLong("total")).isEqualTo(50);
    assertThat(run.getLong("done")).isEqualTo(49);
    assertThat(run.getLong("failed")).isEqualTo(1);
    assertThat(run.getLong("pending")).isZero();
    JsonArray failures = run.getJsonArray("failures");
    assertThat(failures).hasSize(1);
    assertThat(failures.getJsonObject(0).getString("tenant")).isEqualTo(sabotaged);
    assertThat(failures.getJsonObject(0).getString("error")).isNotBlank();
    JsonObject listed =
        client.get(MIGRATIONS + "?limit=1").json().getJsonArray("items").getJsonObject(0);
    assertThat(listed).as("the newest run, listed as its own page shows it").isEqualTo(run);

    try (Connection db = controlPlane.database.connect()) {
      Map<String, String> versions = schemaVersions(db);
      for (String slug : slugs) {
        if (slug.equals(sabotaged)) {
          assertThat(versions.get(slug))
              .as("schema_version of %s", slug)
              .isEqualTo(ControlPlane.SHIPPED_VERSION);
        } else {
          assertThat(versions.get(slug))
              .as("schema_version of %s", slug)
              .isEqualTo(ControlPlane.NEXT_VERSION);
          assertThat(hasNotes(db, slug)).as("%s has table notes", slug).isTrue();
        }
      }
    }

    // A tenant made after the new version shipped gets it at once.
    PlinthClient.Response late = client.postJson("/admin/v1/tenants", newTenant("fleet-late"));
    assertThat(late.status()).as(late.body()).isEqualTo(201);
    PlinthClient.Response lateTenant = client.get("/admin/v1/tenants/fleet-late");
    assertThat(lateTenant.status()).isEqualTo(200);
    assertThat(lateTenant.json().getString("schemaVersion")).isEqualTo(ControlPlane.NEXT_VERSION);
  }

  @Test
  void aRestartResumesAnInterruptedRun() throws Exception {
    int count = 30;
    List<String> slugs = createTenants(controlPlane.start(), "resume", count);
    controlPlane.stopNodes();
    PlinthClient client = controlPlane.start(StepObserver.NONE, shortLeases(nextVersion(1)));

    PlinthClient.Response started = client.postJson(MIGRATIONS, new JsonObject());
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    UUID id = UUID.fromString(started.json().getString("id"));
    // One tenant at a time, each a Flyway run of its own: the node stops as soon as the first is
    // done, in the middle of the run (and, all but always, in the middle of a tenant).
    try (Connection db = controlPlane.database.connect()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (doneCount(db, id) == 0) {
        assertThat(System.nanoTime()).as("no tenant done within 10 s").isLessThan(deadline);
        Thread.sleep(5);
      }
    }
    controlPlane.stopNodes();

    try (Connection db = controlPlane.database.connect()) {
      assertThat(
              strings(db, "SELECT status FROM plinth.migration_runs WHERE id = ?::uuid", id).get(0))
          .as("the run after the stop")
          .isEqualTo("running");
      assertThat(notDone(db, id)).as("tenants not done when the node stopped").isNotEmpty();
    }

    PlinthClient restarted = controlPlane.start(StepObserver.NONE, shortLeases(nextVersion(1)));
    // Longer than the claim lease: a claim the stopped node left behind has expired by then.
    JsonObject run;
    try {
      run = completed(restarted, MIGRATIONS + "/" + id, SHORT_LEASE.plusSeconds(10));
    } catch (AssertionError notCompleted) {
      try (Connection db = controlPlane.database.connect()) {
        throw new AssertionError(
            "the resumed run did not complete; tenants of the run not done: " + notDone(db, id),
            notCompleted);
      }
    }

    assertThat(run.getLong("total")).isEqualTo(count);
    assertThat(run.getLong("done")).isEqualTo(count);
    assertThat(run.getLong("failed")).as(run.encode()).isZero();
    assertThat(run.getLong("pending")).isZero();
    try (Connection db = controlPlane.database.connect()) {
      Map<String, String> versions = schemaVersions(db);
      for (String slug : slugs) {
        assertThat(versions.get(slug))
            .as("schema_version of %s", slug)
            .isEqualTo(ControlPlane.NEXT_VERSION);
        assertThat(hasNotes(db, slug)).as("%s has table notes", slug).isTrue();
      }
    }
  }

  /**
   * A claim lease far shorter than the default 30 s, yet longer than one tenant's migration, so
   * that a run resumes the tenants a stopped node held within seconds.
   */
  private static final Duration SHORT_LEASE = Duration.ofSeconds(3);

  private static Map<String, String> shortLeases(Map<String, String> settings) {
    Map<String, String> with = new java.util.HashMap<>(settings);
    with.put("plinth.migrations.claim-lease", SHORT_LEASE.toSeconds() + "s");
    return with;
  }

  /** Settings of a node that ships tenant-schema version 2. */
  private static Map<String, String> nextVersion(int parallelism) {
    return Map.of(
        "plinth.migrations.tenant-locations",
        ControlPlane.NEXT_MIGRATIONS,
        "plinth.migrations.parallelism",
        String.valueOf(parallelism));
  }

  private static List<String> createTenants(PlinthClient client, String prefix, int count) {
    List<String> slugs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String slug = String.format("%s-%02d", prefix, i);
      PlinthClient.Response created = client.postJson("/admin/v1/tenants", newTenant(slug));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().getString("schemaVersion")).isEqualTo(ControlPlane.SHIPPED_VERSION);
      slugs.add(slug);
    }
    return slugs;
  }

  private static JsonObject completed(PlinthClient client, String location, Duration within) {
    return Eventually.poll(
            within,
            () -> client.get(location),
            r -> r.status() == 200 && "completed".equals(r.json().getString("status")))
        .json();
  }

  private static int doneCount(Connection db, UUID run) throws SQLException {
    return count(
        db,
        "SELECT count(*)::text FROM plinth.migration_run_tenants WHERE run_id = ?::uuid"
            + " AND status = 'done'",
        run);
  }

  /** The run's tenants not done, as {@code slug status claimed_until}. */
  private static List<String> notDone(Connection db, UUID run) throws SQLException {
    return strings(
        db,
        "SELECT t.slug || ' ' || m.status || ' ' || coalesce(m.claimed_until::text, '-') FROM"
            + " plinth.migration_run_tenants m JOIN plinth.tenants t ON t.id = m.tenant_id WHERE"
            + " m.run_id = ?::uuid AND m.status <> 'done' ORDER BY t.slug",
        run);
  }

  private static Map<String, String> schemaVersions(Connection db) throws SQLException {
    Map<String, String> versions = new HashMap<>();
    try (Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT slug, schema_version FROM plinth.tenants WHERE status <> 'deleted'")) {
      while (rs.next()) {
        versions.put(rs.getString(1), rs.getString(2));
      }
    }
    return versions;
  }

  private static boolean hasNotes(Connection db, String slug) throws SQLException {
    return !strings(db, "SELECT to_regclass(?::text)::text", Tenant.schemaFor(slug) + ".notes")
        .stream()
        .allMatch(v -> v == null);
  }
}
