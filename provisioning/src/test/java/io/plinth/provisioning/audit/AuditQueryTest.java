package io.plinth.provisioning.audit;

import static io.plinth.provisioning.admin.Refusals.validationErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import io.plinth.platform.registry.AuditEvent;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class AuditQueryTest {

  @Test
  void aQueryNamesATenantAndPages() {
    AuditQuery query =
        AuditQuery.from(MultiMap.caseInsensitiveMultiMap().add("tenant", "acme").add("limit", "3"));
    assertThat(query.filter().tenant()).hasValue("acme");
    assertThat(query.filter().actor()).isEmpty();
    assertThat(query.paging().limit()).isEqualTo(3);
  }

  @Test
  void aQueryFiltersByActorActionAndOutcome() {
    AuditQuery query =
        AuditQuery.from(
            MultiMap.caseInsensitiveMultiMap()
                .add("actor", "operator:bootstrap")
                .add("action", "tenant.create")
                .add("outcome", "failure")
                .add("tenant", " "));
    assertThat(query.filter().actor()).hasValue("operator:bootstrap");
    assertThat(query.filter().action()).hasValue("tenant.create");
    assertThat(query.filter().outcome()).hasValue(AuditEvent.Outcome.FAILURE);
    assertThat(query.filter().tenant()).as("blank: no filter").isEmpty();
  }

  @Test
  void badParametersAreRefusedTogether() {
    assertThat(
            validationErrors(
                () ->
                    AuditQuery.from(
                        MultiMap.caseInsensitiveMultiMap()
                            .add("after", "last")
                            .add("outcome", "maybe")
                            .add("actor", "x".repeat(AuditQuery.MAX_VALUE + 1)))))
        .extracting(Problem.FieldError::field)
        .containsExactlyInAnyOrder("after", "outcome", "actor");
  }
}
