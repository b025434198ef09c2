package io.plinth.client.admin;

/** {@code GET /admin/v1/audit}: the audit trail, newest first. */
public final class Audit {

  private final PlinthAdmin admin;

  Audit(PlinthAdmin admin) {
    this.admin = admin;
  }

  public Listing<AuditEvent> list(AuditFilter filter) {
    return new Listing<>(
        admin,
        "/audit",
        Listing.filters(
            "tenant", filter.tenant(),
            "actor", filter.actor(),
            "action", filter.action(),
            "outcome", filter.outcome()),
        AuditEvent::from);
  }
}
