package io.plinth.client.admin;

import io.plinth.client.OpenApiCoverage;
import io.plinth.client.RetryPolicy;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every request the admin client makes goes to an operation of the control plane's OpenAPI
 * document, with query parameters it documents.
 */
class AdminOpenApiCoverageTest {

  @Test
  void everyAdminCallIsDocumented() throws Exception {
    UUID id = UUID.randomUUID();
    List<String> requests =
        OpenApiCoverage.requestsOf(
            "{\"items\":[],\"next\":null,\"status\":\"active\"}",
            url -> {
              PlinthAdmin admin =
                  PlinthAdmin.builder(url)
                      .operatorKey("plinth_op_test")
                      .retryPolicy(RetryPolicy.NONE)
                      .build();
              Tenants tenants = admin.tenants();
              tenants.create(
                  NewTenant.of("acme", "Acme", "pro")
                      .withIdentity(NewTenant.Identity.realm("https://app.example.com/cb")));
              tenants.get("acme");
              tenants.waitUntilActive("acme", java.time.Duration.ofSeconds(1));
              tenants.list().page();
              tenants.list(TenantStatus.SUSPENDED, "ac me").limit(10).after(id.toString()).page();
              tenants.suspend("acme");
              tenants.resume("acme");
              tenants.changePlan("acme", "enterprise");
              tenants.changeLimits("acme", Map.of("ratePerSecond", 5));
              tenants.delete("acme");
              admin.keys().issue("acme", KeyKind.SECRET, "ci", OffsetDateTime.now().plusDays(1));
              admin.keys().list("acme");
              admin.keys().revoke("acme", id);
              admin
                  .audit()
                  .list(
                      AuditFilter.all()
                          .tenant("acme")
                          .actor("operator:bootstrap")
                          .action("tenant.create")
                          .failures())
                  .limit(3)
                  .after(id.toString())
                  .page();
              admin.migrations().start();
              admin.migrations().get(id);
              admin.migrations().list().limit(2).after(id.toString()).page();
            });
    OpenApiCoverage.assertDocumented(requests, "/openapi/admin-api.json", (named, param) -> false);
  }
}
