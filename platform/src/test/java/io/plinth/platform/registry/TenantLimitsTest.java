package io.plinth.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TenantLimitsTest {

  private static final TenantLimits FREE = Plan.named("free").orElseThrow().limits();

  @Test
  void theAdminApiNamesEveryLimit() {
    assertThat(FREE.toJson())
        .isEqualTo(
            new JsonObject(
                """
                {"ratePerSecond":10,"ratePerKeyPerSecond":10,"maxRows":10000,
                 "maxStorageBytes":104857600,"maxCollections":10,"maxFields":30,
                 "busyMsPerSecond":100}
                """));
  }

  @Test
  void changesSetTheNamedLimitsAndKeepTheOthers() {
    TenantLimits changed =
        FREE.with(new JsonObject().put("maxRows", 5_000_000_000L).put("ratePerSecond", 0));

    assertThat(changed).isEqualTo(new TenantLimits(0, 10, 5_000_000_000L, 100L << 20, 10, 30, 100));
  }

  @Test
  void aPlanWithOtherLimitsKeepsItsName() {
    Plan pro = Plan.named("pro").orElseThrow();

    Plan own = pro.withLimits(new JsonObject().put("maxFields", 150));

    assertThat(own.name()).isEqualTo("pro");
    assertThat(own.limits().maxFields()).isEqualTo(150);
    assertThat(own.limits().maxRows()).isEqualTo(pro.limits().maxRows());
  }

  @Test
  void badChangesAreRefusedTogetherAndChangeNothing() {
    JsonObject changes =
        new JsonObject()
            .put("colour", 1)
            .put("maxRows", -1)
            .put("maxFields", 1L + Integer.MAX_VALUE)
            .put("ratePerSecond", "10")
            .put("busyMsPerSecond", 1.5);

    assertThatThrownBy(() -> FREE.with(changes))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(400);
              assertThat(e.problem().code()).isEqualTo("validation_failed");
              assertThat(e.problem().errors())
                  .extracting(Problem.FieldError::field)
                  .containsExactlyInAnyOrder(
                      "limits.colour",
                      "limits.maxRows",
                      "limits.maxFields",
                      "limits.ratePerSecond",
                      "limits.busyMsPerSecond");
            });
  }

  @Test
  void aLongLimitTakesValuesPastTheRangeOfAnInt() {
    Plan.checkLimits(new JsonObject().put("maxStorageBytes", 1L << 40));
  }

  @Test
  void everyPlanIsNamedOnce() {
    assertThat(Plan.names()).containsExactly("free", "pro", "enterprise", "internal");
    assertThat(Plan.named("gold")).isEmpty();
  }
}
