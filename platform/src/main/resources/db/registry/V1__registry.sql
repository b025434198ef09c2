-- The control plane's registry: tenants and their placement, keys (hashes only), provisioning
-- steps, audit events, idempotent requests and fleet migration runs.

CREATE TABLE tenants (
    id                     uuid PRIMARY KEY,
    slug                   text        NOT NULL,
    name                   text        NOT NULL,
    plan                   text        NOT NULL,
    rate_limit_per_second  integer     NOT NULL,
    max_rows               bigint      NOT NULL,
    max_storage_bytes      bigint      NOT NULL,
    status                 text        NOT NULL CHECK (status IN
                               ('provisioning', 'active', 'suspended', 'deleting', 'deleted', 'failed')),
    schema_name            text        NOT NULL,
    -- Which PostgreSQL database holds the schema; one today, the column lets tenants spread later.
    database_id            text        NOT NULL DEFAULT 'main',
    schema_version         text,
    failure                text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
-- A slug (and so a schema name) belongs to at most one tenant that is not deleted.
CREATE UNIQUE INDEX tenants_live_slug ON tenants (slug) WHERE status <> 'deleted';
CREATE INDEX tenants_status_id ON tenants (status, id);
-- Only unfinished work is looked at on start-up, never the whole table.
CREATE INDEX tenants_unfinished ON tenants (id) WHERE status IN ('provisioning', 'deleting');

CREATE TABLE provisioning_steps (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    step        text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('started', 'done')),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, step)
);

CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    kind          text        NOT NULL CHECK (kind IN ('publishable', 'secret')),
    name          text        NOT NULL,
    prefix        text        NOT NULL,
    hash          bytea       NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);

CREATE TABLE operator_keys (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    prefix        text        NOT NULL,
    hash          bytea       NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    last_used_at  timestamptz
);

CREATE TABLE audit_events (
    id              uuid PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor           text        NOT NULL,
    action          text        NOT NULL,
    target          text        NOT NULL,
    tenant          text,
    outcome         text        NOT NULL CHECK (outcome IN ('success', 'failure')),
    status          integer     NOT NULL,
    source_address  text,
    request_id      text
);
CREATE INDEX audit_events_tenant ON audit_events (tenant, id);

-- Append-only: the audit trail cannot be edited or erased through the database either.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE idempotent_requests (
    actor         text        NOT NULL,
    key           text        NOT NULL,
    request_hash  bytea       NOT NULL,
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor, key)
);

CREATE TABLE migration_runs (
    id             uuid PRIMARY KEY,
    status         text        NOT NULL CHECK (status IN ('running', 'completed')),
    target_version text,
    parallelism    integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);
CREATE INDEX migration_runs_running ON migration_runs (id) WHERE status = 'running';

CREATE TABLE migration_run_tenants (
    run_id         uuid        NOT NULL REFERENCES migration_runs (id),
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    status         text        NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    claimed_until  timestamptz,
    error          text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, tenant_id)
);
CREATE INDEX migration_run_tenants_todo ON migration_run_tenants (run_id, status);
