package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plinth.client.internal.HttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** {@code /admin/v1/tenants}. */
public final class Tenants {

  private static final Duration POLL = Duration.ofMillis(200);

  private final PlinthAdmin admin;

  Tenants(PlinthAdmin admin) {
    this.admin = admin;
  }

  /**
   * Creates a tenant with a fresh {@code Idempotency-Key}, so a 429 or 503 is retried safely. The
   * answer may come while the tenant is still {@code provisioning} (Keycloak is making its realm):
   * see {@link #waitUntilActive}.
   */
  public CreatedTenant create(NewTenant tenant) {
    return create(tenant, UUID.randomUUID().toString());
  }

  /**
   * Creates a tenant; the same {@code idempotencyKey} (up to 200 characters) with the same tenant
   * gets the first creation's tenant back ({@link CreatedTenant#replayed()}, without keys), with
   * another tenant 422 {@code idempotency_key_reused}.
   */
  public CreatedTenant create(NewTenant tenant, String idempotencyKey) {
    HttpTransport.Response response =
        admin.send(
            "POST",
            "/tenants",
            tenant.toJson(admin.json()),
            Map.of("Idempotency-Key", Objects.requireNonNull(idempotencyKey)));
    JsonNode body = response.body();
    // The tenant without its keys: their plaintext stays in CreatedKey, out of toString.
    JsonNode withoutKeys = body.isObject() ? ((ObjectNode) body.deepCopy()).without("keys") : body;
    return new CreatedTenant(
        Tenant.from(withoutKeys),
        Json.list(body.path("keys"), CreatedKey::from),
        response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false));
  }

  /** The tenant with its usage ({@code json().get("usage")}); 404 {@code tenant_not_found}. */
  public Tenant get(String slug) {
    return Tenant.from(admin.send("GET", path(slug), null).body());
  }

  /** Every tenant but the deleted, in creation order. */
  public Listing<Tenant> list() {
    return list(null, null);
  }

  /**
   * Tenants in {@code status} (null: every one but the deleted) whose slug or name contains {@code
   * search} ignoring case (null: all).
   */
  public Listing<Tenant> list(TenantStatus status, String search) {
    return new Listing<>(
        admin,
        "/tenants",
        Listing.filters("status", status == null ? null : status.wire(), "q", search),
        Tenant::from);
  }

  /** Refuses its keys until resumed; 409 from a status that cannot be suspended. */
  public Tenant suspend(String slug) {
    return Tenant.from(admin.send("POST", path(slug) + ":suspend", null).body());
  }

  public Tenant resume(String slug) {
    return Tenant.from(admin.send("POST", path(slug) + ":resume", null).body());
  }

  /** Moves the tenant to another plan, and its limits to that plan's. */
  public Tenant changePlan(String slug, String plan) {
    return update(slug, admin.json().createObjectNode().put("plan", plan));
  }

  /**
   * Gives the tenant limits of its own, e.g. {@code Map.of("ratePerSecond", 5)}; the others keep
   * their values. Names: ratePerSecond, ratePerKeyPerSecond, maxRows, maxStorageBytes,
   * maxCollections, maxFields, busyMsPerSecond (0: no limit, for the rates and busy time).
   */
  public Tenant changeLimits(String slug, Map<String, ? extends Number> limits) {
    ObjectNode body = admin.json().createObjectNode();
    body.set("limits", admin.json().valueToTree(limits));
    return update(slug, body);
  }

  private Tenant update(String slug, ObjectNode change) {
    return Tenant.from(admin.send("PATCH", path(slug), change).body());
  }

  /** Starts deleting the tenant (status {@code deleting}, then {@code deleted}). */
  public Tenant delete(String slug) {
    return Tenant.from(admin.send("DELETE", path(slug), null).body());
  }

  /**
   * Waits until the tenant is {@code active}, reading it every 200 ms.
   *
   * @throws IllegalStateException when its provisioning failed, it is in another settled status, or
   *     {@code timeout} passes
   */
  public Tenant waitUntilActive(String slug, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Tenant tenant = get(slug);
      if (tenant.status() == TenantStatus.ACTIVE) {
        return tenant;
      }
      if (tenant.status() != TenantStatus.PROVISIONING) {
        throw new IllegalStateException(
            "tenant "
                + slug
                + " is "
                + tenant.status().wire()
                + (tenant.failure() == null ? "" : ": " + tenant.failure()));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("tenant " + slug + " not active after " + timeout);
      }
      HttpTransport.sleep(POLL);
    }
  }

  static String path(String slug) {
    return "/tenants/" + PlinthAdmin.segment(slug);
  }
}
