-- The admin API lists audit events of one actor or one action, newest first (GET
-- /admin/v1/audit?actor=&action=); these indexes serve each filter in id order, as
-- audit_events_tenant does for a tenant. Outcome has two values: its filter needs none.
CREATE INDEX audit_events_actor ON audit_events (actor, id);
CREATE INDEX audit_events_action ON audit_events (action, id);
