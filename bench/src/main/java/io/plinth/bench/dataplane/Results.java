package io.plinth.bench.dataplane;

import io.plinth.bench.dataplane.DataPlaneReport.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a data-plane run measured, group by group; what a group left out did not measure stays null
 * or empty.
 */
final class Results {

  Map<String, String> machine = Map.of();
  String postgresVersion = "?";

  /** The bare endpoint, always measured: every ratio uses it. */
  Row bare;

  /** Group http: every row, and those a target needs. */
  final List<Row> http = new ArrayList<>();

  Row coldGet;
  Row warmGet;
  Row query;
  Row insertOne;
  double warmHitRatio = Double.NaN;

  /** Group tenants: the GET over 1, 100 and 1,000 tenants. */
  List<Row> spread = List.of();

  /** Group tenants: provisioning the tenants of the spread, the fleet migration over them. */
  final List<Row> provisioning = new ArrayList<>();

  /** Group noisy. */
  NoisyNeighbours.Rounds neighbours = NoisyNeighbours.Rounds.NONE;

  /** Group pgbench: the database references, or null. */
  Row select;

  Row insert;

  /** Every scenario's row, in the order they are printed (the references come apart). */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>(http);
    rows.addAll(spread);
    rows.addAll(neighbours.rows());
    rows.addAll(provisioning);
    return rows;
  }

  /** Errors of every scenario but the noisy neighbour's floods (theirs are its own 503s). */
  long errors() {
    List<ScenarioResult> floods = neighbours.floods();
    return rows().stream()
            .map(Row::result)
            .filter(r -> !floods.contains(r))
            .mapToLong(ScenarioResult::errors)
            .sum()
        + bare.result().errors();
  }
}
