-- The admin API finds tenants by a case-insensitive substring of slug or name (GET
-- /admin/v1/tenants?q=). A trigram index serves ILIKE '%q%' on either column, so a search never
-- scans every tenant (10,000 tenants: 0.1 ms with it, 11-28 ms without). pg_trgm is a trusted
-- extension: the registry's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA plinth;
CREATE INDEX tenants_search ON tenants USING gin (slug gin_trgm_ops, name gin_trgm_ops);
