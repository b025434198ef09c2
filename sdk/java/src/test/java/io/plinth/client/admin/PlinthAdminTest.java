package io.plinth.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.plinth.client.PlinthException;
import io.plinth.client.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin client's own logic against a real HTTP server that answers from a script. */
class PlinthAdminTest {

  private final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void stop() {
    server.close();
  }

  private PlinthAdmin admin() {
    return PlinthAdmin.builder(server.url()).operatorKey("plinth_op_test").build();
  }

  private static String tenant(String slug, String status) {
    return "{\"id\":\""
        + UUID.randomUUID()
        + "\",\"slug\":\""
        + slug
        + "\",\"name\":\"N\",\"plan\":\"pro\",\"status\":\""
        + status
        + "\",\"identity\":null,\"failure\":"
        + ("failed".equals(status) ? "\"realm not made\"" : "null")
        + ",\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\"}";
  }

  @Test
  void aTenantCreationIsRetriedOn503WithTheSameIdempotencyKey() throws Exception {
    server
        .then(new ScriptedServer.Answer(503, "0", "{\"status\":503,\"code\":\"unavailable\"}"))
        .then(
            new ScriptedServer.Answer(
                201,
                null,
                tenant("acme", "active")
                    .replace(
                        "}",
                        ",\"keys\":[{\"id\":\""
                            + UUID.randomUUID()
                            + "\",\"kind\":\"secret\",\"name\":\"default\",\"prefix\":\"plinth_sk_ab\","
                            + "\"key\":\"plinth_sk_abcdef\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]}"),
                Map.of()));

    CreatedTenant created =
        admin()
            .tenants()
            .create(
                NewTenant.of("acme", "Acme", "pro")
                    .withIdentity(NewTenant.Identity.external("https://id.example.com", "api")));

    assertThat(created.tenant().slug()).isEqualTo("acme");
    assertThat(created.tenant().status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(created.key(KeyKind.SECRET).orElseThrow().plaintext()).isEqualTo("plinth_sk_abcdef");
    assertThat(created.toString()).doesNotContain("plinth_sk_abcdef");
    List<ScriptedServer.Request> requests = server.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests)
        .extracting(ScriptedServer.Request::target)
        .containsOnly("/admin/v1/tenants");
    String key = requests.get(0).header("Idempotency-Key");
    assertThat(key).isNotBlank();
    assertThat(requests.get(1).header("Idempotency-Key")).isEqualTo(key);
    assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer plinth_op_test");
    assertThat(new ObjectMapper().readTree(requests.get(0).body()))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"slug\":\"acme\",\"name\":\"Acme\",\"plan\":\"pro\",\"identity\":"
                        + "{\"mode\":\"external\",\"issuer\":\"https://id.example.com\","
                        + "\"audience\":\"api\"}}"));
  }

  @Test
  void aReplayedCreationSaysSo() {
    server.then(
        new ScriptedServer.Answer(
            201,
            null,
            tenant("acme", "active").replace("}", ",\"keys\":[]}"),
            Map.of("Idempotent-Replayed", "true")));
    CreatedTenant replay = admin().tenants().create(NewTenant.of("acme", "Acme", "pro"), "k1");
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.keys()).isEmpty();
  }

  @Test
  void aListingFollowsTheNextCursorPageAfterPage() {
    server
        .then(
            200,
            "{\"items\":["
                + tenant("a", "active")
                + ","
                + tenant("b", "active")
                + "],\"next\":\"c1\"}")
        .then(200, "{\"items\":[" + tenant("c", "active") + "],\"next\":null}");

    List<String> slugs =
        admin().tenants().list(TenantStatus.ACTIVE, "x y").limit(2).stream()
            .map(Tenant::slug)
            .toList();

    assertThat(slugs).containsExactly("a", "b", "c");
    assertThat(server.requests())
        .extracting(ScriptedServer.Request::target)
        .containsExactly(
            "/admin/v1/tenants?status=active&q=x%20y&limit=2",
            "/admin/v1/tenants?status=active&q=x%20y&after=c1&limit=2");
  }

  @Test
  void waitingForATenantEndsWhenItIsActiveOrFailed() {
    server.then(200, tenant("a", "provisioning")).then(200, tenant("a", "active"));
    assertThat(admin().tenants().waitUntilActive("a", Duration.ofSeconds(5)).status())
        .isEqualTo(TenantStatus.ACTIVE);

    server.then(200, tenant("b", "provisioning")).then(200, tenant("b", "failed"));
    assertThatThrownBy(() -> admin().tenants().waitUntilActive("b", Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed: realm not made");
  }

  @Test
  void waitingForAMigrationPollsUntilItIsCompleted() {
    UUID run = UUID.randomUUID();
    String running =
        "{\"id\":\"" + run + "\",\"status\":\"running\",\"total\":3,\"done\":1,\"pending\":2}";
    server
        .then(200, running)
        .then(200, running.replace("running", "completed").replace("\"done\":1", "\"done\":3"));
    MigrationRun done = admin().migrations().waitUntilCompleted(run, Duration.ofSeconds(5));
    assertThat(done.completed()).isTrue();
    assertThat(done.done()).isEqualTo(3);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void errorsAreProblemsAndACredentialIsNeeded() {
    server.then(404, "{\"status\":404,\"code\":\"tenant_not_found\",\"detail\":\"no tenant x\"}");
    assertThatThrownBy(() -> admin().tenants().get("x"))
        .isInstanceOfSatisfying(
            PlinthException.class, e -> assertThat(e.code()).isEqualTo("tenant_not_found"));
    assertThat(server.requests()).hasSize(1);
    assertThatThrownBy(() -> PlinthAdmin.builder(server.url()).build())
        .isInstanceOf(IllegalStateException.class);
  }
}
