-- The usage time series (ADR 0015): what tenants' requests did, per counted period (a minute), and
-- what they store, measured every few minutes. The nil UUID stands for the whole platform. Rows
-- are kept for plinth.usage.retention (24 h) and pruned in batches by the control plane; no
-- foreign key to tenants, so a tenant's deletion never waits on its history.

-- One row per tenant with traffic per period, summed over data-plane nodes (each node adds its
-- counts to the row): at most 1,440 rows per tenant per day.
CREATE TABLE usage_minutes (
    tenant_id  uuid        NOT NULL,
    at         timestamptz NOT NULL, -- the period's start
    requests   bigint      NOT NULL,
    errors     bigint      NOT NULL, -- status 5xx or 429
    latency    bigint[]    NOT NULL, -- counts per LatencyHistogram bucket, trailing zeros left off
    PRIMARY KEY (tenant_id, at)
);
CREATE INDEX usage_minutes_at ON usage_minutes (at);

-- Rows and bytes on disk of a tenant when measured (at most one per sampling cycle: 288 per day at
-- the default 5 minutes), and the platform's total of its tenants' latest measurements.
CREATE TABLE usage_storage (
    tenant_id      uuid        NOT NULL,
    at             timestamptz NOT NULL,
    rows           bigint      NOT NULL,
    storage_bytes  bigint      NOT NULL,
    PRIMARY KEY (tenant_id, at)
);
CREATE INDEX usage_storage_at ON usage_storage (at);
