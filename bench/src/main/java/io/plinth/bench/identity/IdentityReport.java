package io.plinth.bench.identity;

import io.plinth.bench.report.Percentiles;
import io.plinth.bench.report.TextTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every figure of an identity run, and how to print it: the machine, a table of setup and latency
 * by mode and size, where a tenant's setup time goes, and Keycloak's restart at the largest size.
 */
final class IdentityReport {

  private static final String ROW = "  %-50s %6s  %-15s  %-24s  %-24s";

  Map<String, String> machine = new LinkedHashMap<>();
  final Map<String, String> loads = new LinkedHashMap<>();
  final List<Checkpoint> realmCheckpoints = new ArrayList<>();
  final List<Checkpoint> orgCheckpoints = new ArrayList<>();
  final List<double[]> fill = new ArrayList<>(); // realm number, seconds
  final List<double[]> orgFill = new ArrayList<>();
  String baselineStoppedAt;
  String creatorFailed;
  String failure;
  int realmsFinal;
  int orgsFinal;
  Restart realmRestart;
  Restart orgRestart;

  /** Notes the load average now, as of {@code when}. */
  void load(String when) {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      loads.put(when, f[0] + " " + f[1] + " " + f[2]);
    } catch (IOException | RuntimeException e) {
      loads.put(when, "?");
    }
  }

  void print(PrintStream out, IdentityBenchOptions options) {
    // Labels padded to 33 whatever the machine's are: the layout of the printouts so far.
    TextTable t = new TextTable().labelsAtLeast(33);
    t.section("Machine").rows(machine);
    t.row(
        "load average (1/5/15 min)",
        String.join(
            "; ", loads.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
    sizes(t);
    setupTimes(t);
    fills(t, options);
    restarts(t);
    if (failure != null) {
      t.line("")
          .line(
              "THE RUN FAILED before it ended (the figures above are those taken before): "
                  + failure);
    }
    out.print(t.render());
    out.flush();
  }

  /** The table: setup and latency by mode and size. */
  private void sizes(TextTable t) {
    t.section(
        "Tenant identity setup and latency by size (setup: p50 / max of the tenants set up at"
            + " that size, s; latency: p50 / p99 ms, n requests)",
        126);
    String head =
        String.format(
            Locale.ROOT,
            ROW,
            "mode",
            "size",
            "setup s p50/max",
            "admin call ms p50/p99 n",
            "end-user token ms p50/p99 n");
    t.line(head).line("  " + "-".repeat(head.length() - 2));
    for (Checkpoint c : realmCheckpoints) {
      if (!c.baseline.isEmpty()) {
        double[] setup = c.baseline.stream().mapToDouble(a -> Arrays.stream(a).sum()).toArray();
        t.line(row("a baseline: separate calls, master admin", c.size, setup, null, null));
      }
    }
    if (creatorFailed != null) {
      t.line("  (master-sa way failed " + creatorFailed + ")");
    }
    if (baselineStoppedAt != null) {
      t.line("  (baseline " + baselineStoppedAt + ")");
    }
    wayRows(t);
    t.line(
        "  (admin call: b, c: GET /admin/realms/{realm}/users?max=20 into a random existing"
            + " tenant realm, as the realm's provisioner SA (b), as master admin, as the"
            + " create-realm SA into realms it made (c); d: GET organizations/{id}/members as the"
            + " shared realm's SA. End-user token: password grant at the public client)");
  }

  /** The table's rows of the realm, master-sa and organization ways. */
  private void wayRows(TextTable t) {
    for (Checkpoint c : realmCheckpoints) {
      if (!c.realmWay.isEmpty()) {
        t.line(
            row(
                "b realm: one rep (master admin) + realm SA",
                c.size,
                column(c.realmWay, 2),
                c.adminRealmSa,
                c.endUserToken));
        t.line(row("  same realms, admin call as master admin", c.size, null, c.adminMaster, null));
      }
    }
    for (Checkpoint c : realmCheckpoints) {
      if (!c.creatorWay.isEmpty()) {
        t.line(
            row(
                "c master-sa: one rep (create-realm SA) + realm SA",
                c.size,
                column(c.creatorWay, 2),
                c.adminCreator,
                null));
      }
    }
    for (Checkpoint c : orgCheckpoints) {
      t.line(
          row(
              "d organization in one shared realm (realm SA)",
              c.size,
              c.orgSetup.stream().mapToDouble(Double::doubleValue).toArray(),
              c.adminRealmSa,
              c.endUserToken));
    }
  }

  /** Where a tenant's setup time goes, mode by mode and size by size. */
  private void setupTimes(TextTable t) {
    t.section("Where a tenant's setup time goes (ms, p50 over the tenants at that size)", 72);
    for (Checkpoint c : realmCheckpoints) {
      if (!c.baseline.isEmpty()) {
        t.line(
            String.format(
                Locale.ROOT,
                "  a  %5d realms: create realm %s, public client %s, confidential client %s,"
                    + " user %s",
                c.size,
                medianMs(c.baseline, 0),
                medianMs(c.baseline, 1),
                medianMs(c.baseline, 2),
                medianMs(c.baseline, 3)));
      }
    }
    for (Checkpoint c : realmCheckpoints) {
      if (!c.realmWay.isEmpty()) {
        t.line(
            String.format(
                Locale.ROOT,
                "  b  %5d realms: import %s, follow-ups as realm SA %s; then master admin's"
                    + " first call (GET users) into it %s, second %s; master admin's first"
                    + " write (POST client) into it %s, second %s, a write into an older realm"
                    + " %s",
                c.size,
                medianMs(c.realmWay, 0),
                medianMs(c.realmWay, 1),
                medianMs(c.realmWay, 3),
                medianMs(c.realmWay, 4),
                medianMs(c.realmWay, 5),
                medianMs(c.realmWay, 6),
                medianMs(c.realmWay, 7)));
      }
    }
    for (Checkpoint c : realmCheckpoints) {
      if (!c.creatorWay.isEmpty()) {
        t.line(
            String.format(
                Locale.ROOT,
                "  c  %5d realms: import %s, follow-ups %s; create-realm SA token %d chars",
                c.size,
                medianMs(c.creatorWay, 0),
                medianMs(c.creatorWay, 1),
                c.creatorTokenChars));
      }
    }
    for (Checkpoint c : realmCheckpoints) {
      if (c.masterTokenMint.length > 0) {
        t.line(
            String.format(
                Locale.ROOT,
                "     %5d realms: master admin token request %s (p50 of %d), token %d chars",
                c.size,
                ms(Percentiles.millis(c.masterTokenMint, 0.5)),
                c.masterTokenMint.length,
                c.masterTokenChars));
      }
    }
  }

  /** Every tenant's setup while filling up to the sizes, by the realms there before it. */
  private void fills(TextTable t, IdentityBenchOptions options) {
    if (!fill.isEmpty()) {
      StringBuilder s =
          new StringBuilder(
              "  b (fill, every tenant): setup s p50 / max by realms existing before it:");
      int from = 0;
      for (int size : options.realmCheckpoints()) {
        final int lo = from;
        double[] slice =
            fill.stream().filter(f -> f[0] > lo && f[0] <= size).mapToDouble(f -> f[1]).toArray();
        if (slice.length > 0) {
          s.append(
              String.format(
                  Locale.ROOT,
                  " %d-%d: %.2f/%.2f;",
                  lo + 1,
                  size,
                  Percentiles.median(slice),
                  Arrays.stream(slice).max().orElse(0)));
        }
        from = size;
      }
      t.line(
          s.append(" (fill tenant numbers; checkpoint samples add a few realms each)").toString());
    }
    if (!orgFill.isEmpty()) {
      double[] all = orgFill.stream().mapToDouble(f -> f[1]).toArray();
      t.line(
          String.format(
              Locale.ROOT,
              "  d (fill, every organization): setup p50 %.3f s, max %.3f s over %d",
              Percentiles.median(all),
              Arrays.stream(all).max().orElse(0),
              all.length));
    }
  }

  private void restarts(TextTable t) {
    t.section("Keycloak at the largest size: RSS, restart, first calls after the restart", 72);
    if (realmRestart != null) {
      restart(t, "realm series, " + realmsFinal + " tenant realms", realmRestart);
    }
    if (orgRestart != null) {
      restart(
          t, "organization series, 1 shared realm, " + orgsFinal + " organizations", orgRestart);
    }
  }

  private static void restart(TextTable t, String what, Restart r) {
    t.line(
        String.format(
            Locale.ROOT,
            "  %s: RSS %.0f MiB before, %.0f MiB after the first calls; restart %.1f s"
                + " (stop to master realm answering; Keycloak's log: started in %.1f s)",
            what,
            r.rssMib,
            r.rssAfterMib,
            r.restartSeconds,
            r.keycloakSays));
    StringBuilder s = new StringBuilder("    first calls after it:");
    r.cold.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %s;", k, ms(v))));
    t.line(s.toString());
  }

  /** A row of the table: mode, size, setup p50 / max in s, latencies p50 / p99 in ms and n. */
  static String row(String mode, int size, double[] setupMs, long[] admin, long[] token) {
    return String.format(
        Locale.ROOT,
        ROW,
        mode,
        size,
        setupMs == null || setupMs.length == 0
            ? ""
            : String.format(
                Locale.ROOT,
                "%.2f / %.2f",
                Percentiles.median(setupMs) / 1000,
                Arrays.stream(setupMs).max().orElse(0) / 1000),
        latency(admin),
        latency(token));
  }

  private static String latency(long[] nanos) {
    if (nanos == null || nanos.length == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%s / %s  %d",
        num(Percentiles.millis(nanos, 0.5)),
        num(Percentiles.millis(nanos, 0.99)),
        nanos.length);
  }

  /** Milliseconds in a table cell: no decimals from 100 up, one below. */
  static String num(double ms) {
    return ms >= 100
        ? String.format(Locale.ROOT, "%.0f", ms)
        : String.format(Locale.ROOT, "%.1f", ms);
  }

  /** A duration in a sentence: {@code 123 ms}, or {@code 1.23 s} from a second up. */
  static String ms(double ms) {
    return ms >= 1000
        ? String.format(Locale.ROOT, "%.2f s", ms / 1000)
        : String.format(Locale.ROOT, "%.0f ms", ms);
  }

  private static String medianMs(List<double[]> rows, int column) {
    return ms(Percentiles.median(column(rows, column)));
  }

  private static double[] column(List<double[]> rows, int i) {
    return rows.stream().mapToDouble(r -> r[i]).toArray();
  }
}
