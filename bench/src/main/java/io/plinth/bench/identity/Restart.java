package io.plinth.bench.identity;

import java.util.Map;

/** Keycloak restarted at the largest size: its RSS, the restart's time, the first calls after. */
final class Restart {
  double rssMib;
  double rssAfterMib;
  double restartSeconds;
  double keycloakSays;
  Map<String, Double> cold = Map.of();
}
