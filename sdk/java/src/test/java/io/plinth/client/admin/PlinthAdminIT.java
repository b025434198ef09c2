package io.plinth.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.client.Platform;
import io.plinth.client.PlinthClient;
import io.plinth.client.PlinthException;
import io.plinth.client.RetryPolicy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin client against a real control plane and data-plane node. */
class PlinthAdminIT {

  private static Platform platform;
  private static PlinthAdmin admin;

  @BeforeAll
  static void start() {
    platform = new Platform();
    admin =
        PlinthAdmin.builder(platform.adminUrl())
            .operatorKey(platform.operatorKey())
            .timeout(Duration.ofSeconds(20))
            .build();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String slug() {
    return "adm-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static PlinthClient dataPlane(String key) {
    return PlinthClient.builder(platform.dataPlaneUrl())
        .apiKey(key)
        .retryPolicy(RetryPolicy.NONE)
        .build();
  }

  @Test
  void aTenantLivesFromCreationToDeletion() {
    String slug = slug();
    NewTenant request = NewTenant.of(slug, "Lifecycle " + slug, "pro");
    CreatedTenant created = admin.tenants().create(request, "create-" + slug);
    assertThat(created.replayed()).isFalse();
    assertThat(created.tenant().slug()).isEqualTo(slug);
    assertThat(created.tenant().plan()).isEqualTo("pro");
    assertThat(created.keys())
        .extracting(k -> k.key().kind())
        .containsExactlyInAnyOrder(KeyKind.PUBLISHABLE, KeyKind.SECRET);
    String secret = created.key(KeyKind.SECRET).orElseThrow().plaintext();
    assertThat(secret).startsWith("plinth_sk_");

    CreatedTenant replay = admin.tenants().create(request, "create-" + slug);
    assertThat(replay.replayed()).as("same Idempotency-Key, same body").isTrue();
    assertThat(replay.tenant().id()).isEqualTo(created.tenant().id());
    assertThat(replay.keys()).as("a replay shows no keys").isEmpty();
    assertThatThrownBy(
            () -> admin.tenants().create(NewTenant.of(slug, "Other", "pro"), "create-" + slug))
        .isInstanceOfSatisfying(
            PlinthException.class, e -> assertThat(e.code()).isEqualTo("idempotency_key_reused"));

    Tenant active = admin.tenants().waitUntilActive(slug, Duration.ofSeconds(60));
    assertThat(active.status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(active.json().path("usage").has("rows")).isTrue();
    assertThat(dataPlane(secret).listCollections().path("items").isArray()).isTrue();

    assertThat(admin.tenants().list(null, slug).stream().map(Tenant::slug)).containsExactly(slug);
    assertThat(admin.tenants().list(TenantStatus.SUSPENDED, slug).stream()).isEmpty();

    assertThat(admin.tenants().suspend(slug).status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThatThrownBy(() -> dataPlane(secret).listCollections())
        .isInstanceOfSatisfying(
            PlinthException.class, e -> assertThat(e.code()).isEqualTo("tenant_suspended"));
    assertThat(admin.tenants().list(TenantStatus.SUSPENDED, slug).stream().map(Tenant::slug))
        .containsExactly(slug);
    assertThat(admin.tenants().resume(slug).status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(dataPlane(secret).listCollections().path("items").isArray()).isTrue();

    Tenant limited = admin.tenants().changeLimits(slug, java.util.Map.of("maxCollections", 3));
    assertThat(limited.limits().path("maxCollections").asLong()).isEqualTo(3);
    assertThat(admin.tenants().changePlan(slug, "enterprise").plan()).isEqualTo("enterprise");

    Tenant deleting = admin.tenants().delete(slug);
    assertThat(deleting.status()).isIn(TenantStatus.DELETING, TenantStatus.DELETED);
    assertThatThrownBy(() -> admin.tenants().get("no-such-" + slug))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void theTenantListIsPagedWithoutGapsOrRepeats() {
    String marker = "pg" + UUID.randomUUID().toString().substring(0, 6);
    for (int i = 0; i < 5; i++) {
      admin.tenants().create(NewTenant.of(marker + "-" + i, "Paged " + marker, "free"));
    }
    List<String> slugs =
        admin.tenants().list(null, marker).limit(2).stream().map(Tenant::slug).toList();
    assertThat(slugs)
        .containsExactly(marker + "-0", marker + "-1", marker + "-2", marker + "-3", marker + "-4");
    Listing.Page<Tenant> first = admin.tenants().list(null, marker).limit(2).page();
    assertThat(first.items()).hasSize(2);
    assertThat(first.next()).isPresent();
  }

  @Test
  void aRevokedKeyIsRefusedByTheDataPlaneWithinASecond() {
    String slug = slug();
    admin.tenants().create(NewTenant.of(slug, "Keys", "pro"));
    admin.tenants().waitUntilActive(slug, Duration.ofSeconds(60));

    CreatedKey issued =
        admin.keys().issue(slug, KeyKind.SECRET, "ci", OffsetDateTime.now().plusDays(1));
    assertThat(issued.plaintext()).startsWith("plinth_sk_");
    assertThat(issued.toString()).doesNotContain(issued.plaintext());
    assertThat(issued.key().expiresAt()).isNotNull();
    CreatedKey browser = admin.keys().issue(slug, KeyKind.PUBLISHABLE, "web");
    assertThat(browser.plaintext()).startsWith("plinth_pk_");

    PlinthClient client = dataPlane(issued.plaintext());
    assertThat(client.listCollections().path("items").isArray()).isTrue();
    assertThat(admin.keys().list(slug))
        .filteredOn(k -> k.id().equals(issued.key().id()))
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.name()).isEqualTo("ci");
              assertThat(k.revoked()).isFalse();
              assertThat(issued.plaintext()).startsWith(k.prefix());
            });

    admin.keys().revoke(slug, issued.key().id());
    long revokedAt = System.nanoTime();
    PlinthException refused = null;
    while (refused == null && System.nanoTime() - revokedAt < Duration.ofSeconds(1).toNanos()) {
      try {
        client.listCollections();
        Thread.onSpinWait();
      } catch (PlinthException e) {
        refused = e;
      }
    }
    assertThat(refused).as("refused within a second of the revocation").isNotNull();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("invalid_api_key");
    assertThat(admin.keys().list(slug))
        .filteredOn(k -> k.id().equals(issued.key().id()))
        .singleElement()
        .satisfies(k -> assertThat(k.revoked()).isTrue());
    assertThat(dataPlane(browser.plaintext()).listCollections().path("items").isArray())
        .as("the tenant's other keys still work")
        .isTrue();
  }

  @Test
  void theAuditTrailIsFilteredByTenantActionActorAndOutcome() {
    String slug = slug();
    admin.tenants().create(NewTenant.of(slug, "Audited", "pro"));
    admin.tenants().waitUntilActive(slug, Duration.ofSeconds(60));
    admin.tenants().suspend(slug);
    assertThatThrownBy(
            () ->
                admin.keys().issue(slug, KeyKind.SECRET, "late", OffsetDateTime.now().minusDays(1)))
        .as("a key that expired already")
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(400));

    List<AuditEvent> ofTenant =
        admin.audit().list(AuditFilter.all().tenant(slug)).stream().toList();
    assertThat(ofTenant).extracting(AuditEvent::action).contains("tenant.create", "tenant.suspend");
    assertThat(ofTenant).allSatisfy(e -> assertThat(e.tenant()).isEqualTo(slug));

    List<AuditEvent> created =
        admin.audit().list(AuditFilter.all().tenant(slug).action("tenant.create")).stream()
            .toList();
    assertThat(created)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo("success");
              assertThat(e.status()).isEqualTo(201);
              assertThat(e.actor()).isNotBlank();
              assertThat(e.at()).isNotNull();
            });
    String actor = created.get(0).actor();
    assertThat(
            admin.audit().list(AuditFilter.all().tenant(slug).actor(actor)).stream()
                .map(AuditEvent::actor))
        .isNotEmpty()
        .containsOnly(actor);
    assertThat(admin.audit().list(AuditFilter.all().tenant(slug).actor("user:nobody")).stream())
        .isEmpty();

    assertThat(admin.audit().list(AuditFilter.all().tenant(slug).failures()).stream())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo("key.create");
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.outcome()).isEqualTo("failure");
            });
    assertThat(admin.audit().list(AuditFilter.all().tenant(slug).successes()).stream())
        .extracting(AuditEvent::outcome)
        .containsOnly("success");

    List<AuditEvent> paged =
        admin.audit().list(AuditFilter.all().tenant(slug)).limit(1).stream().toList();
    assertThat(paged).isEqualTo(ofTenant);
  }

  @Test
  void aFleetMigrationRunsToCompletion() {
    String slug = slug();
    admin.tenants().create(NewTenant.of(slug, "Migrated", "pro"));
    admin.tenants().waitUntilActive(slug, Duration.ofSeconds(60));

    UUID run = admin.migrations().start();
    MigrationRun done = admin.migrations().waitUntilCompleted(run, Duration.ofSeconds(120));
    assertThat(done.id()).isEqualTo(run);
    assertThat(done.completed()).isTrue();
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.total()).isGreaterThanOrEqualTo(1);
    assertThat(done.failed()).isZero();
    assertThat(done.failures()).isEmpty();
    assertThat(done.pending()).isZero();
    assertThat(done.done()).isEqualTo(done.total());
    assertThat(admin.migrations().list().stream().map(MigrationRun::id)).contains(run);
  }

  @Test
  void aWrongOperatorKeyIsRefused() {
    PlinthAdmin stranger =
        PlinthAdmin.builder(platform.adminUrl()).operatorKey("plinth_op_notakey").build();
    assertThatThrownBy(() -> stranger.tenants().list().page())
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(401));
  }
}
