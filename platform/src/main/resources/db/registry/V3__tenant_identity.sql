-- Where a tenant's end users sign in (DESIGN.md, Identity). The identity provisioning step fills
-- these; the data plane reads the issuer, audience and organization with the tenant, to verify
-- end users' tokens offline. NULL mode: no end-user sign-in (tenants made before identity existed
-- until an operator sets one), so every end-user token is refused.
ALTER TABLE tenants
    ADD COLUMN identity_mode         text CHECK (identity_mode IN ('realm', 'organization', 'external')),
    -- The Keycloak instance holding the tenant's realm or organization (NULL for external).
    ADD COLUMN identity_keycloak     text,
    -- Tokens must carry exactly this iss ...
    ADD COLUMN identity_issuer       text,
    -- ... this audience among aud ...
    ADD COLUMN identity_audience     text,
    -- ... and, in organization mode, this organization.
    ADD COLUMN identity_organization text,
    -- The rest, shown by the admin API and used by SDKs: realm, client ids, login URL.
    ADD COLUMN identity              jsonb;
