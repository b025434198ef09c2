-- How long a tenant's requests may be in progress on one data-plane node per second, summed over
-- them (milliseconds; 0: no limit). Beside the bulkhead's concurrency it bounds what one tenant's
-- costly requests (scans, big batches) take from the others on a node and its database (ADR 0012).
-- Copied onto the tenant from its plan, like the other limits.
ALTER TABLE tenants ADD COLUMN busy_ms_per_second integer NOT NULL DEFAULT 0;

UPDATE tenants SET busy_ms_per_second = 100    WHERE plan = 'free';
UPDATE tenants SET busy_ms_per_second = 1000   WHERE plan = 'pro';
UPDATE tenants SET busy_ms_per_second = 10000  WHERE plan = 'enterprise';
