-- Plans also limit requests per key, collections per tenant and fields per collection. Like the
-- other limits they are copied onto the tenant, so a plan change is one UPDATE and the data plane
-- reads them with the key.
ALTER TABLE tenants
    ADD COLUMN rate_limit_per_key integer NOT NULL DEFAULT 100,
    ADD COLUMN max_collections    integer NOT NULL DEFAULT 100,
    ADD COLUMN max_fields         integer NOT NULL DEFAULT 100;

UPDATE tenants SET rate_limit_per_key = 10,   max_collections = 10,  max_fields = 30  WHERE plan = 'free';
UPDATE tenants SET rate_limit_per_key = 1000, max_collections = 500, max_fields = 200 WHERE plan = 'enterprise';
