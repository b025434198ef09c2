package io.plinth.bench.provisioning;

import io.plinth.bench.run.BenchPlatform;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL catalog's figures at one moment: relations, schemas, sizes, and the sessions ever
 * opened on the database ({@code -1} where PostgreSQL does not count them).
 */
record Catalog(
    long pgClass, long pgNamespace, String databaseSize, String catalogSize, long sessions) {

  /** The figures now, on one connection of our own (it counts as one session). */
  static Catalog of(BenchPlatform platform) throws SQLException {
    try (Connection c = platform.connect();
        Statement st = c.createStatement()) {
      Catalog catalog;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_namespace),"
                  + " pg_size_pretty(pg_database_size('plinth')),"
                  + " pg_size_pretty(pg_total_relation_size('pg_class')"
                  + " + pg_total_relation_size('pg_attribute')"
                  + " + pg_total_relation_size('pg_index'))")) {
        rs.next();
        catalog = new Catalog(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), -1);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT sessions FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        // Sessions ever opened on the database (PostgreSQL 14+; the statistics lag by < 1 s).
        return new Catalog(
            catalog.pgClass(),
            catalog.pgNamespace(),
            catalog.databaseSize(),
            catalog.catalogSize(),
            rs.getLong(1));
      } catch (SQLException e) {
        return catalog; // older PostgreSQL: no session count
      }
    }
  }
}
