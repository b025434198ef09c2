package io.plinth.provisioning.audit;

import static io.plinth.provisioning.admin.Refusals.validationErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.http.Problem;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class AuditQueryTest {

  @Test
  void aQueryNamesATenantAndPages() {
    AuditQuery query =
        AuditQuery.from(MultiMap.caseInsensitiveMultiMap().add("tenant", "acme").add("limit", "3"));
    assertThat(query.tenant()).hasValue("acme");
    assertThat(query.paging().limit()).isEqualTo(3);
  }

  @Test
  void badPagingIsRefused() {
    assertThat(
            validationErrors(
                () -> AuditQuery.from(MultiMap.caseInsensitiveMultiMap().add("after", "last"))))
        .extracting(Problem.FieldError::field)
        .containsExactly("after");
  }
}
