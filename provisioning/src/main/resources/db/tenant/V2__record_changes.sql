-- Change capture for GET /v1/collections/{c}/changes: every record write adds a row here in the
-- same statement, so a change is recorded exactly when its write commits.
--
-- Events are ordered by (xid, seq), not by seq alone: seq is taken before commit, so a smaller seq
-- can commit after a larger one is read. Readers only take rows whose transaction is older than
-- every transaction still running (pg_snapshot_xmin), and every later commit then has a larger
-- xid than anything already read; a cursor never skips a change.
CREATE TABLE plinth_changes (
    xid         xid8        NOT NULL DEFAULT pg_current_xact_id(),
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    collection  text        NOT NULL,
    op          text        NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    record_id   uuid        NOT NULL,
    owner       text,
    -- The row as written (to_jsonb of the table's row); null for deletes.
    record      jsonb,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, xid, seq)
);
CREATE INDEX plinth_changes_at ON plinth_changes USING brin (at);

-- The newest change pruned by retention, per collection: a resume from before it is refused
-- (410) rather than silently missing changes.
CREATE TABLE plinth_changes_horizon (
    collection  text   PRIMARY KEY,
    xid         xid8   NOT NULL,
    seq         bigint NOT NULL
);

-- Wake listening data-plane nodes once per writing statement; delivered at commit.
CREATE FUNCTION plinth_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('plinth_changes', TG_TABLE_SCHEMA);
    RETURN NULL;
END;
$$;
CREATE TRIGGER plinth_changes_notify AFTER INSERT ON plinth_changes
    FOR EACH STATEMENT EXECUTE FUNCTION plinth_changes_notify();
