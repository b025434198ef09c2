package io.plinth.provisioning.tenants;

import static io.plinth.provisioning.admin.Refusals.validationErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.registry.Plan;
import io.plinth.platform.registry.TenantStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parsers of the tenant routes' requests: listing, update, idempotency key. */
class TenantRequestsTest {

  private static final Plan FREE = Plan.named("free").orElseThrow();
  private static final Plan PRO = Plan.named("pro").orElseThrow();

  @Test
  void aListingTakesAStatusAndPaging() {
    MultiMap query =
        MultiMap.caseInsensitiveMultiMap().add("status", "suspended").add("limit", "5");
    TenantListing listing = TenantListing.from(query);
    assertThat(listing.status()).hasValue(TenantStatus.SUSPENDED);
    assertThat(listing.paging().limit()).isEqualTo(5);
    assertThat(TenantListing.from(MultiMap.caseInsensitiveMultiMap()).status()).isEmpty();
  }

  @Test
  void aSearchIsTrimmedAndABlankOneSearchesNothing() {
    assertThat(TenantListing.from(MultiMap.caseInsensitiveMultiMap().add("q", " Acme ")).search())
        .hasValue("Acme");
    assertThat(TenantListing.from(MultiMap.caseInsensitiveMultiMap().add("q", "  ")).search())
        .isEmpty();
    assertThat(
            validationErrors(
                () ->
                    TenantListing.from(
                        MultiMap.caseInsensitiveMultiMap()
                            .add("q", "x".repeat(TenantListing.MAX_SEARCH + 1)))))
        .extracting(Problem.FieldError::field)
        .containsExactly("q");
  }

  @Test
  void aListingNamesEveryBadParameterAtOnce() {
    MultiMap query =
        MultiMap.caseInsensitiveMultiMap()
            .add("status", "sleeping")
            .add("after", "x")
            .add("limit", "0");
    assertThat(validationErrors(() -> TenantListing.from(query)))
        .extracting(Problem.FieldError::field)
        .containsExactly("status", "after", "limit");
  }

  @Test
  void anUpdateChangesThePlanOrLimitsOrBoth() {
    assertThat(TenantUpdate.from(new JsonObject().put("plan", "pro")).applyTo(FREE)).isEqualTo(PRO);
    Plan limited =
        TenantUpdate.from(new JsonObject().put("limits", new JsonObject().put("maxRows", 7)))
            .applyTo(FREE);
    assertThat(limited.name()).isEqualTo("free");
    assertThat(limited.limits().maxRows()).isEqualTo(7);
    Plan both =
        TenantUpdate.from(
                new JsonObject()
                    .put("plan", "pro")
                    .put("limits", new JsonObject().put("maxRows", 7)))
            .applyTo(FREE);
    assertThat(both).isEqualTo(PRO.withLimits(new JsonObject().put("maxRows", 7)));
  }

  @Test
  void anUpdateThatChangesNothingOrNamesNoPlanIsRefused() {
    assertThat(validationErrors(() -> TenantUpdate.from(new JsonObject())))
        .containsExactly(new Problem.FieldError("plan", "a plan or limits to change"));
    assertThat(
            validationErrors(
                () -> TenantUpdate.from(new JsonObject().put("plan", "gold").put("limits", 3))))
        .extracting(Problem.FieldError::field)
        .containsExactly("plan", "limits");
  }

  @Test
  void anUpdateChecksItsLimitsBeforeAnythingIsRead() {
    assertThat(
            validationErrors(
                () ->
                    TenantUpdate.from(
                        new JsonObject()
                            .put("limits", new JsonObject().put("maxRows", -1).put("nope", 1)))))
        .extracting(Problem.FieldError::field)
        .containsExactlyInAnyOrder("limits.maxRows", "limits.nope");
  }

  @Test
  void anIdempotencyKeyBelongsToTheActorAndTheBody() {
    assertThat(TenantCreation.idempotencyKey(null, "operator:a", "{}")).isEmpty();
    TenantLifecycle.IdempotencyKey key =
        TenantCreation.idempotencyKey("k-1", "operator:a", "{}").orElseThrow();
    assertThat(key.actor()).isEqualTo("operator:a");
    assertThat(key.key()).isEqualTo("k-1");
    assertThat(key.requestHash()).isEqualTo(ApiKeys.sha256("{}"));
  }

  @Test
  void anEmptyOrOverlongIdempotencyKeyIsRefused() {
    for (String header : List.of("", " ", "k".repeat(201))) {
      assertThat(validationErrors(() -> TenantCreation.idempotencyKey(header, "operator:a", "{}")))
          .as("%s characters", header.length())
          .containsExactly(new Problem.FieldError("Idempotency-Key", "1 to 200 characters"));
    }
    assertThat(TenantCreation.idempotencyKey("k".repeat(200), "operator:a", "{}"))
        .isNotEqualTo(Optional.empty());
  }
}
