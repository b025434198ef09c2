package io.plinth.bench.identity;

import java.util.ArrayList;
import java.util.List;

/** What was measured at one size (tenant realms, or organizations in the shared realm). */
final class Checkpoint {
  final int size;
  final List<double[]> baseline = new ArrayList<>(); // ms: realm, app client, server client, user
  // ms: import, follow-ups, total; master admin: 1st, 2nd GET, 1st, 2nd write, older realm write
  final List<double[]> realmWay = new ArrayList<>();
  final List<double[]> creatorWay = new ArrayList<>(); // ms: import, follow-ups, total
  final List<Double> orgSetup = new ArrayList<>(); // ms
  long[] adminRealmSa = new long[0];
  long[] adminMaster = new long[0];
  long[] adminCreator = new long[0];
  long[] endUserToken = new long[0];
  long[] masterTokenMint = new long[0];
  int masterTokenChars;
  int creatorTokenChars;

  Checkpoint(int size) {
    this.size = size;
  }
}
