-- Plans also limit how many collections a tenant has and how many fields a collection has. Like the
-- other limits they are copied onto the tenant, so a plan change is one UPDATE and the data plane
-- reads them with the key.
ALTER TABLE tenants
    ADD COLUMN max_collections integer NOT NULL DEFAULT 100,
    ADD COLUMN max_fields      integer NOT NULL DEFAULT 100;

UPDATE tenants SET max_collections = 10,  max_fields = 30  WHERE plan = 'free';
UPDATE tenants SET max_collections = 500, max_fields = 200 WHERE plan = 'enterprise';
