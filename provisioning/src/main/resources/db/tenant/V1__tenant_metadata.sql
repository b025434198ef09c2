-- Every tenant schema starts with its metadata: the collections the data plane defines in it.
CREATE TABLE plinth_collections (
    name        text PRIMARY KEY,
    definition  jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
