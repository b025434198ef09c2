package io.plinth.tenantapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A statement that runs too long is cancelled in PostgreSQL and answered with a 503 problem. */
class QueryTimeoutIT {

  @Test
  void aQueryStuckPastTheTimeoutIsCancelledAndAnswered503() throws Exception {
    try (DataPlane plane = new DataPlane(Map.of("plinth.db.statement-timeout", "500ms"))) {
      DataPlane.Tenant tenant = plane.newTenant();
      PlinthClient api = plane.as(tenant.secretKey());
      JsonObject items = DataPlane.collection("items", "title:text");
      assertThat(api.postJson("/v1/collections", items).status()).isEqualTo(201);

      try (Connection blocker = plane.database.connect()) {
        // Another session holds the table: the query waits on the lock until its timeout.
        blocker.setAutoCommit(false);
        blocker
            .createStatement()
            .execute("LOCK TABLE " + tenant.schema() + ".items IN ACCESS EXCLUSIVE MODE");

        long start = System.nanoTime();
        Response stuck = api.get("/v1/collections/items/records");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(stuck.status()).isEqualTo(503);
        assertThat(stuck.isProblem()).isTrue();
        assertThat(stuck.json().getString("code")).isEqualTo("query_timeout");
        assertThat(stuck.header("Retry-After")).hasValue("1");
        assertThat(stuck.body()).doesNotContain("LOCK").doesNotContain("SELECT");
        assertThat(tookMs).isLessThan(5_000);
        try (ResultSet waiting =
            blocker
                .createStatement()
                .executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND application_name LIKE 'plinth-%'")) {
          waiting.next();
          assertThat(waiting.getInt(1)).as("no data-plane statement still waits").isZero();
        }
        blocker.rollback();
      }
      assertThat(api.get("/v1/collections/items/records").status()).isEqualTo(200);
    }
  }
}
