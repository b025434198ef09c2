package io.plinth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards the chart ships ({@code helm/plinth/files/dashboards/}) are dashboards
 * Grafana can import anywhere: the five of them, each with a unique uid, a schema version, a
 * Prometheus {@code datasource} variable that every panel and query uses (no data source of this
 * machine baked in), and panels laid out on Grafana's 24-column grid. That their queries name only
 * exported metrics is {@code MetricNamesIT}'s (tenant-api) part.
 */
class DashboardsTest {

  static final Path DASHBOARDS = Path.of("..", "helm", "plinth", "files", "dashboards");
  static final List<String> SHIPPED =
      List.of("platform-overview", "tenant", "database", "cluster", "identity");
  private static final String DATASOURCE = "${datasource}";

  @Test
  void theFiveDashboardsAreThereWithUniqueUids() throws Exception {
    Set<String> uids = new HashSet<>();
    for (String name : SHIPPED) {
      JsonObject dashboard = read(name);
      assertThat(dashboard.getString("title")).as(name).startsWith("Plinth / ");
      assertThat(uids.add(dashboard.getString("uid"))).as("uid of %s is unique", name).isTrue();
      assertThat(dashboard.getInteger("schemaVersion")).as(name).isGreaterThanOrEqualTo(36);
    }
  }

  @Test
  void everyPanelAndQueryUsesTheDatasourceVariable() throws Exception {
    for (String name : SHIPPED) {
      JsonObject dashboard = read(name);
      JsonArray variables = dashboard.getJsonObject("templating").getJsonArray("list");
      JsonObject datasource = variable(variables, "datasource");
      assertThat(datasource).as("%s has a datasource variable", name).isNotNull();
      assertThat(datasource.getString("type")).isEqualTo("datasource");
      assertThat(datasource.getString("query")).isEqualTo("prometheus");
      for (Object v : variables) {
        JsonObject other = (JsonObject) v;
        if ("query".equals(other.getString("type"))) {
          assertThat(other.getJsonObject("datasource").getString("uid"))
              .as("%s: variable %s", name, other.getString("name"))
              .isEqualTo(DATASOURCE);
        }
      }
      List<JsonObject> panels = panels(dashboard);
      assertThat(panels).as(name).isNotEmpty();
      Set<Integer> ids = new HashSet<>();
      for (JsonObject panel : panels) {
        String where = name + ": panel " + panel.getString("title");
        assertThat(ids.add(panel.getInteger("id"))).as("%s has a unique id", where).isTrue();
        JsonObject grid = panel.getJsonObject("gridPos");
        assertThat(grid.getInteger("x") + grid.getInteger("w")).as(where).isLessThanOrEqualTo(24);
        if ("row".equals(panel.getString("type"))) {
          continue;
        }
        assertThat(panel.getJsonObject("datasource").getString("uid"))
            .as(where)
            .isEqualTo(DATASOURCE);
        JsonArray targets = panel.getJsonArray("targets");
        assertThat(targets).as(where).isNotEmpty();
        for (Object t : targets) {
          JsonObject target = (JsonObject) t;
          assertThat(target.getString("expr")).as(where).isNotBlank();
          assertThat(target.getJsonObject("datasource").getString("uid"))
              .as(where)
              .isEqualTo(DATASOURCE);
        }
      }
    }
  }

  @Test
  void theTenantDashboardPicksATenant() throws Exception {
    JsonObject tenant =
        variable(read("tenant").getJsonObject("templating").getJsonArray("list"), "tenant");
    assertThat(tenant).isNotNull();
    assertThat(tenant.getJsonObject("query").getString("query"))
        .isEqualTo("label_values(plinth_tenant_requests_total, tenant)");
  }

  private static JsonObject read(String name) throws Exception {
    return new JsonObject(Files.readString(DASHBOARDS.resolve(name + ".json")));
  }

  private static JsonObject variable(JsonArray variables, String name) {
    for (Object v : variables) {
      if (name.equals(((JsonObject) v).getString("name"))) {
        return (JsonObject) v;
      }
    }
    return null;
  }

  private static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> all = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      all.add((JsonObject) p);
      for (Object nested : ((JsonObject) p).getJsonArray("panels", new JsonArray())) {
        all.add((JsonObject) nested);
      }
    }
    return all;
  }
}
