-- A second tenant migration, "shipped" by the fleet-migration tests.
CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);
