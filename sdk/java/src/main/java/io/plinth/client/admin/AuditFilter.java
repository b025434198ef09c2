package io.plinth.client.admin;

/**
 * Which audit events to list: each filter that is not null must match. {@code actor} e.g. {@code
 * operator:bootstrap}, {@code action} e.g. {@code tenant.create}, {@code outcome} {@code success}
 * or {@code failure} (answered 400 or above).
 */
public record AuditFilter(String tenant, String actor, String action, String outcome) {

  /** Every event. */
  public static AuditFilter all() {
    return new AuditFilter(null, null, null, null);
  }

  public AuditFilter tenant(String slug) {
    return new AuditFilter(slug, actor, action, outcome);
  }

  public AuditFilter actor(String who) {
    return new AuditFilter(tenant, who, action, outcome);
  }

  public AuditFilter action(String what) {
    return new AuditFilter(tenant, actor, what, outcome);
  }

  public AuditFilter successes() {
    return new AuditFilter(tenant, actor, action, "success");
  }

  public AuditFilter failures() {
    return new AuditFilter(tenant, actor, action, "failure");
  }
}
