package io.plinth.provisioning;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small helpers the control-plane tests share: a create body, one-column queries. */
final class RegistryQueries {

  private RegistryQueries() {}

  static JsonObject newTenant(String slug) {
    return new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("plan", "free");
  }

  /** A count (or any whole number) selected with one text parameter bound. */
  static int count(Connection db, String sql, Object parameter) throws SQLException {
    return Integer.parseInt(strings(db, sql, parameter).get(0));
  }

  /** The first column of every row, with one text parameter bound. */
  static List<String> strings(Connection db, String sql, Object parameter) throws SQLException {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      st.setString(1, parameter.toString());
      try (ResultSet rs = st.executeQuery()) {
        List<String> values = new ArrayList<>();
        while (rs.next()) {
          values.add(rs.getString(1));
        }
        return values;
      }
    }
  }
}
