package io.plinth.bench.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityReportTest {

  private static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores (nproc)", "2  (AMD EPYC)");
    m.put("memory", "23.4 GiB");
    m.put("java -version", "openjdk 17 | x");
    return m;
  }

  private static IdentityReport report(IdentityBenchOptions options) {
    IdentityReport rep = new IdentityReport();
    rep.machine.putAll(machine());
    rep.machine.put("Keycloak", "26.0.1 (kc.sh start-dev, PostgreSQL)");
    rep.machine.put("Keycloak heap (JAVA_OPTS_KC_HEAP)", "-Xms512m -Xmx2g");
    rep.machine.put(
        "create-realm SA tokens / fill", "regular / realms between sizes made by master admin");
    rep.machine.put("Keycloak options", "(none)");
    rep.loads.put("start", "0.10 0.20 0.30");
    rep.loads.put("10 realms", "1.10 0.50 0.31");
    rep.loads.put("end", "?");
    for (int size : options.realmCheckpoints()) {
      rep.realmCheckpoints.add(checkpoint(size, size != 20));
    }
    for (int i = 1; i <= 35; i++) {
      rep.fill.add(new double[] {i, 0.5 + i / 100.0});
      rep.orgFill.add(new double[] {i, 0.2 + i / 1000.0});
    }
    Checkpoint o = new Checkpoint(10);
    o.orgSetup.add(180.0);
    o.orgSetup.add(190.0);
    o.adminRealmSa = new long[] {4_000_000};
    o.endUserToken = new long[] {40_000_000, 41_000_000};
    rep.orgCheckpoints.add(o);
    rep.baselineStoppedAt = "stopped at 20 realms: one tenant took 31.0 s (limit 30 s)";
    rep.creatorFailed = "at 30 realms: too big";
    rep.realmsFinal = 45;
    rep.orgsFinal = 14;
    Restart r = new Restart();
    r.rssMib = 812.3;
    r.rssAfterMib = 900.7;
    r.restartSeconds = 21.34;
    r.keycloakSays = 15.2;
    Map<String, Double> cold = new LinkedHashMap<>();
    cold.put("master admin token", 350.5);
    cold.put("GET users, master admin", 1234.5);
    r.cold = cold;
    rep.realmRestart = r;
    rep.orgRestart = r;
    rep.failure = "java.lang.IllegalStateException: boom";
    return rep;
  }

  private static Checkpoint checkpoint(int size, boolean realmWays) {
    Checkpoint c = new Checkpoint(size);
    c.baseline.add(new double[] {812, 95.5, 120, 230});
    c.baseline.add(new double[] {1900, 99.5, 110, 260});
    if (realmWays) {
      c.realmWay.add(new double[] {420, 180, 600, 35, 12, 2200, 45, 60});
      c.realmWay.add(new double[] {410, 170, 580, 30, 11, 2100, 44, 58});
      c.realmWay.add(new double[] {400, 160, 560, 31, 10, 2000, 43, 57});
      c.realmWay.add(new double[] {390, 150, 540, 32, 13, 1900, 42, 56});
      c.creatorWay.add(new double[] {500, 200, 700});
      c.adminRealmSa = new long[] {5_000_000, 6_100_000, 250_000_000};
      c.adminMaster = new long[] {7_000_000, 8_000_000};
      c.adminCreator = new long[] {9_000_000};
      c.endUserToken = new long[] {45_000_000, 120_000_000, 99_950_000};
      c.masterTokenMint = new long[] {30_000_000, 31_000_000, 1_500_000_000};
      c.masterTokenChars = 1234;
      c.creatorTokenChars = 5678;
    }
    return c;
  }

  private static String printed(IdentityReport report, IdentityBenchOptions options) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), options);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private String resource(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void printsTheReportAsItAlwaysHas() throws IOException {
    IdentityBenchOptions options =
        IdentityBenchOptions.parse(
            "--realms", "10,30", "--baseline", "10,20", "--setup-samples", "4");

    assertThat(printed(report(options), options)).isEqualTo(resource("report.txt"));
  }

  @Test
  void aReportOfNothingMeasuredStillHasItsSections() throws IOException {
    IdentityReport empty = new IdentityReport();
    empty.machine.putAll(machine());

    assertThat(printed(empty, IdentityBenchOptions.parse()))
        .isEqualTo(resource("report-empty.txt"));
  }

  @Test
  void tableCellsRoundAsTheyGrow() {
    assertThat(IdentityReport.num(99.94)).isEqualTo("99.9");
    assertThat(IdentityReport.num(100)).isEqualTo("100");
    assertThat(IdentityReport.ms(999.4)).isEqualTo("999 ms");
    assertThat(IdentityReport.ms(1234.5)).isEqualTo("1.23 s");
    assertThat(
            IdentityReport.row(
                "m", 10, new double[] {1000, 3000, 2000}, new long[] {2_000_000}, null))
        .isEqualTo("  m" + " ".repeat(54) + "10  2.00 / 3.00      2.0 / 2.0  1" + " ".repeat(38));
  }
}
