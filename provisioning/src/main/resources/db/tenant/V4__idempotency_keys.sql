-- Record inserts sent with an Idempotency-Key: per key, a hash of the request (collection, end
-- user and body) and the response it got, written in the insert's own transaction, so a key is
-- kept exactly when its records are. A retry with the key gets that response again instead of
-- inserting twice. Keys live 24 hours; the data plane prunes older ones with the schema's changes.
CREATE TABLE plinth_idempotency_keys (
    key           text        PRIMARY KEY,
    request_hash  bytea       NOT NULL,
    status        smallint,
    -- The records as inserted, a JSON array (one element for a single insert) as text, so that a
    -- replay sends the same bytes (jsonb would reorder members); null until the insert's
    -- transaction writes it, before it commits.
    response      text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plinth_idempotency_keys_created_at ON plinth_idempotency_keys USING brin (created_at);
