package io.plinth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.OpenApiContract;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /admin/v1/openapi.json} tells the truth: it is served without credentials, every route of
 * the real router under {@code /admin/v1} is documented and every documented operation is routed,
 * and a tour through every operation gets only responses the document describes. Forwarded data
 * requests that reach a data plane are checked against it in tenant-api's {@code
 * OperatorDataAccessIT}; here no data plane is configured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminOpenApiContractIT {

  /**
   * Documented ahead of the code (helper console-ops), so neither routed nor toured yet. Once one
   * is routed the route check fails: take it out of here and add it to the tour.
   */
  /** What the console reads at start, outside /admin/v1 but in its document. */
  private static final String CONSOLE_CONFIG = "/console/config.json";

  private static final Set<String> NOT_ROUTED_YET = Set.of();

  /**
   * The statuses the tour must have met, so that it cannot quietly shrink. Documented but not
   * toured: 202 from a create (Keycloak away: KeycloakOutageIT), 403 (a platform token without the
   * role: IdentityIT), 500, and the data plane's own answers (tenant-api's OperatorDataAccessIT).
   */
  private static final Set<Integer> TOURED_STATUSES =
      Set.of(200, 201, 202, 204, 304, 400, 401, 404, 409, 413, 415, 422, 503);

  private static final String BASE = "/admin/v1";
  private static final String DATA = "/admin/v1/tenants/{slug}/data/{path}";

  private final ControlPlane controlPlane = new ControlPlane();
  private PlinthClient admin;
  private PlinthClient anonymous;
  private Vertx vertx;
  private OpenApiContract contract;
  private final Set<String> exercised = new TreeSet<>();
  private final Set<Integer> statuses = new HashSet<>();

  @BeforeAll
  void start() {
    admin = controlPlane.start();
    anonymous = new PlinthClient(admin.baseUrl());
    vertx = Vertx.vertx();
    Response document = anonymous.get(ProvisioningService.OPENAPI_PATH);
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.header("Content-Type")).hasValue("application/json");
    contract = OpenApiContract.load(vertx, document.json()); // fails unless valid OpenAPI 3.1
  }

  @AfterAll
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    controlPlane.close();
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
    Set<String> routed =
        new TreeSet<>(OpenApiContract.routedOperations(controlPlane.routes(), BASE + "/"));
    routed.addAll(OpenApiContract.routedOperations(controlPlane.routes(), CONSOLE_CONFIG));
    assertThat(routed).as("routed but not documented").isSubsetOf(contract.operations());
    Set<String> missing = new TreeSet<>(contract.operations());
    missing.removeAll(routed);
    assertThat(missing)
        .as("documented but not routed (once one of NOT_ROUTED_YET is routed, tour it)")
        .isEqualTo(NOT_ROUTED_YET);
  }

  @Test
  void everyOperationAnswersAsDocumented() {
    Response document = expect("GET", ProvisioningService.OPENAPI_PATH, anonymous, 200, null);
    expect(
        "GET",
        ProvisioningService.OPENAPI_PATH,
        anonymous.withHeader("If-None-Match", document.header("ETag").orElseThrow()),
        304,
        null);

    String slug = "c-" + UUID.randomUUID().toString().substring(0, 8);
    String tenant = BASE + "/tenants/" + slug;
    tourTenants(slug, tenant);
    tourKeys(tenant);
    tourAudit(slug);
    tourMigrations();
    tourData(tenant);
    tourOperations(slug);
    expect("DELETE", tenant, admin, 202, null);
    expect("DELETE", BASE + "/tenants/no-such-tenant", admin, 404, null);

    Set<String> unexercised = new TreeSet<>(contract.operations());
    unexercised.removeAll(exercised);
    assertThat(unexercised).as("operations the tour did not reach").isEqualTo(NOT_ROUTED_YET);
    assertThat(statuses).containsAll(TOURED_STATUSES);
  }

  private void tourTenants(String slug, String tenant) {
    String tenants = BASE + "/tenants";
    JsonObject body =
        new JsonObject().put("slug", slug).put("name", "Contract").put("plan", "free");
    PlinthClient once = admin.withHeader("Idempotency-Key", UUID.randomUUID().toString());
    expect("POST", tenants, once, 201, body);
    expect("POST", tenants, once, 201, body); // replayed
    expect("POST", tenants, once, 422, body.copy().put("slug", slug + "x"));
    expect("POST", tenants, admin, 409, body);
    expect("POST", tenants, admin, 400, new JsonObject().put("slug", "Bad"));
    expect("POST", tenants, anonymous, 401, body);
    check("POST", tenants, admin.post(tenants, "text/plain", "x"), 415);
    check("POST", tenants, admin.post(tenants, "application/json", "x".repeat(2_000_000)), 413);
    expect("GET", tenants + "?q=contract&status=active&limit=10", admin, 200, null);
    expect("GET", tenants + "?status=sleeping", admin, 400, null);
    expect("GET", tenants, anonymous, 401, null);
    expect("GET", tenant, admin, 200, null);
    expect("GET", BASE + "/tenants/no-such-tenant", admin, 404, null);
    JsonObject limits = new JsonObject().put("limits", new JsonObject().put("maxRows", 500));
    expect("PATCH", tenant, admin, 200, limits);
    expect("PATCH", tenant, admin, 400, new JsonObject().put("plan", "gold"));
    expect("PATCH", BASE + "/tenants/no-such-tenant", admin, 404, limits);
    expect("POST", tenant + ":suspend", admin, 200, new JsonObject());
    expect("POST", tenant + ":resume", admin, 200, new JsonObject());
    expect("POST", BASE + "/tenants/no-such-tenant:resume", admin, 404, new JsonObject());
  }

  private void tourKeys(String tenant) {
    String keys = tenant + "/keys";
    JsonObject key = new JsonObject().put("kind", "secret").put("name", "contract");
    String id = expect("POST", keys, admin, 201, key).json().getString("id");
    expect("POST", keys, admin, 400, new JsonObject().put("kind", "operator"));
    expect("POST", BASE + "/tenants/no-such-tenant/keys", admin, 404, key);
    expect("DELETE", keys + "/" + id, admin, 204, null);
    expect("DELETE", keys + "/" + UUID.randomUUID(), admin, 404, null);
    expect("DELETE", keys + "/not-an-id", admin, 400, null);
    expect("GET", keys, admin, 200, null);
    expect("GET", BASE + "/tenants/no-such-tenant/keys", admin, 404, null);
  }

  private void tourAudit(String slug) {
    String audit = BASE + "/audit";
    expect(
        "GET",
        audit + "?tenant=" + slug + "&action=tenant.create&outcome=success",
        admin,
        200,
        null);
    expect("GET", audit + "?outcome=maybe", admin, 400, null);
  }

  private void tourMigrations() {
    String migrations = BASE + "/migrations";
    String run = expect("POST", migrations, admin, 202, new JsonObject()).json().getString("id");
    expect("GET", migrations + "?limit=5", admin, 200, null);
    expect("GET", migrations + "?after=x", admin, 400, null);
    expect("GET", migrations + "/" + run, admin, 200, null);
    expect("GET", migrations + "/" + UUID.randomUUID(), admin, 404, null);
    expect("GET", migrations + "/x", admin, 400, null);
  }

  private void tourOperations(String slug) {
    expect("GET", CONSOLE_CONFIG, anonymous, 200, null);
    expect("GET", BASE + "/cluster", admin, 200, null);
    expect("GET", BASE + "/cluster", anonymous, 401, null);
    expect("GET", BASE + "/usage/series", admin, 200, null);
    expect("GET", BASE + "/usage/series?range=24h&tenant=" + slug, admin, 200, null);
    expect("GET", BASE + "/usage/series?range=1w", admin, 400, null);
    expect("GET", BASE + "/usage/series?tenant=no-such-tenant", admin, 404, null);
  }

  /** Without a data plane configured: the refusals the control plane makes itself. */
  private void tourData(String tenant) {
    String records = tenant + "/data/collections/items/records";
    JsonObject record = new JsonObject().put("title", "x");
    data("GET", records, admin, 503, null);
    data("POST", records, admin, 503, record);
    data("PATCH", records + "/" + UUID.randomUUID(), admin, 503, record);
    data("DELETE", records + "/" + UUID.randomUUID(), admin, 503, null);
    data("GET", records, anonymous, 401, null);
    data("GET", tenant + "/data/collections/%2e%2e/keys", admin, 400, null);
    data("GET", tenant + "/data/collections/items/changes", admin, 404, null);
    data("GET", tenant + "/data/", admin, 400, null);
    data("GET", BASE + "/tenants/no-such-tenant/data/collections", admin, 404, null);
  }

  private void data(String method, String path, PlinthClient client, int status, JsonObject body) {
    Response response = send(method, path, client, body);
    assertThat(response.status())
        .as("%s %s answered %s", method, path, response.body())
        .isEqualTo(status);
    exercised.add(contract.checkOperation(method + " " + DATA, response).key());
    statuses.add(status);
  }

  private Response expect(
      String method, String path, PlinthClient client, int status, JsonObject body) {
    return check(method, path, send(method, path, client, body), status);
  }

  private static Response send(String method, String path, PlinthClient client, JsonObject body) {
    return body == null
        ? client.send(method, path, null, "")
        : client.send(method, path, "application/json", body.encode());
  }

  private Response check(String method, String path, Response response, int status) {
    assertThat(response.status())
        .as("%s %s answered %s", method, path, response.body())
        .isEqualTo(status);
    exercised.add(contract.check(method, path, response).key());
    statuses.add(status);
    return response;
  }
}
