-- Rows the tenant stores, counted exactly as writes happen, for the plan's row quota and the admin
-- API's usage. Counting a table (count(*)) costs as much as the table is big, so the data plane
-- adds every insert and subtracts every delete here, in the statement that writes.
--
-- One counter row would serialise a tenant's writers on its lock until each commits, so the count
-- is spread over 16 rows and a writer takes the one of its connection (backend pid modulo 16);
-- the tenant's count is their sum.
CREATE TABLE plinth_usage (
    shard  smallint PRIMARY KEY CHECK (shard BETWEEN 0 AND 15),
    rows   bigint   NOT NULL
);

-- Adds delta rows to the count; with a positive delta, fails with SQLSTATE PQ001 (rolling back
-- the write that called it) when the count passes max_rows. The sum is read after this writer's
-- own addition and sees every committed one, so concurrent writers overshoot the quota by no more
-- than what is in flight and not yet committed. search_path is fixed at creation: callers use a
-- schema-qualified name and any search_path of their own.
CREATE FUNCTION plinth_count_rows(delta bigint, max_rows bigint) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF delta = 0 THEN
        RETURN;
    END IF;
    INSERT INTO plinth_usage AS u (shard, rows) VALUES (pg_backend_pid() % 16, delta)
        ON CONFLICT (shard) DO UPDATE SET rows = u.rows + excluded.rows;
    IF delta > 0 AND (SELECT sum(rows) FROM plinth_usage) > max_rows THEN
        RAISE EXCEPTION 'row quota exceeded: the plan allows % rows', max_rows
            USING ERRCODE = 'PQ001';
    END IF;
END
$$;

-- The rows already stored when this migration runs.
DO $$
DECLARE
    collection text;
    counted    bigint;
    total      bigint := 0;
BEGIN
    FOR collection IN SELECT name FROM plinth_collections LOOP
        EXECUTE format('SELECT count(*) FROM %I', collection) INTO counted;
        total := total + counted;
    END LOOP;
    INSERT INTO plinth_usage (shard, rows) VALUES (0, total);
END
$$;
