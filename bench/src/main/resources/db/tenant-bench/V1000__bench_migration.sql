-- Benchmark only (bench/provisioning, bench/data-plane): a small table with an index in every tenant
-- schema, applied by a fleet migration after the tenants exist. Version 1000, so that the shipped
-- tenant migrations (db/tenant) never take its number.
CREATE TABLE bench_events (
    id    bigint PRIMARY KEY,
    at    timestamptz NOT NULL DEFAULT now(),
    body  jsonb
);
CREATE INDEX bench_events_at ON bench_events (at);
