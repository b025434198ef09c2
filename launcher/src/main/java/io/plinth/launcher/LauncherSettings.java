package io.plinth.launcher;

import io.plinth.platform.config.Parsers;
import io.plinth.platform.config.Setting;
import java.util.List;

/** Settings of the local launcher only; the services' own settings apply to it as well. */
public final class LauncherSettings {

  private LauncherSettings() {}

  public static final Setting<String> DATA_DIR =
      Setting.of(
          "plinth.local.data-dir",
          ".plinth",
          "Launcher: folder for the local PostgreSQL's and Keycloak's data, kept across restarts.",
          Parsers::nonBlank);
  public static final Setting<Integer> CONTROL_PLANE_PORT =
      Setting.of(
          "plinth.local.control-plane-port",
          "8081",
          "Launcher: HTTP port of the control plane.",
          Parsers::port);
  public static final Setting<Integer> DATA_PLANE_PORT =
      Setting.of(
          "plinth.local.data-plane-port",
          "8080",
          "Launcher: HTTP port of the data plane.",
          Parsers::port);
  public static final Setting<Integer> POSTGRES_PORT =
      Setting.of(
          "plinth.local.postgres-port",
          "0",
          "Launcher: port of the local PostgreSQL (0 picks a free one). Unused when"
              + " PLINTH_DB_URL names an external server.",
          Parsers::port);

  public static final Setting<Integer> KEYCLOAK_PORT =
      Setting.of(
          "plinth.local.keycloak-port",
          "8180",
          "Launcher: port of the local Keycloak on 127.0.0.1. Keep it fixed: tenants' issuers"
              + " (recorded in the registry, carried by tokens) contain it. Unused when"
              + " PLINTH_IDENTITY_KEYCLOAK_URL or PLINTH_IDENTITY_KEYCLOAK_INSTANCES is set.",
          Parsers::port);

  public static final Setting<Boolean> KEYCLOAK =
      Setting.of(
          "plinth.local.keycloak",
          "true",
          "Launcher: start a local Keycloak for tenants' and operators' sign-in; false runs the"
              + " platform without identity (tenants get no realm, end-user tokens are refused),"
              + " as bench/data-plane does.",
          Parsers::bool);

  public static final Setting<LogOutput> LOGS =
      Setting.of(
          "plinth.local.logs",
          "file",
          "Launcher: where the services' logs go: file (JSON lines in logs/plinth.log under the"
              + " data folder; the terminal shows progress and the banner only) or terminal (plain"
              + " text on the terminal, as ./plinth-local --logs does).",
          LogOutput::parse);

  public static final List<Setting<?>> ALL =
      List.of(
          DATA_DIR,
          CONTROL_PLANE_PORT,
          DATA_PLANE_PORT,
          POSTGRES_PORT,
          KEYCLOAK_PORT,
          KEYCLOAK,
          LOGS);

  /** Where the launcher writes the services' logs. */
  public enum LogOutput {
    /** JSON lines in a file under the data folder, as the platform's log pipeline reads them. */
    FILE,
    /** Plain text on the terminal, for a person watching it. */
    TERMINAL;

    static LogOutput parse(String text) {
      return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "file" -> FILE;
        case "terminal" -> TERMINAL;
        default -> throw new IllegalArgumentException("expected file or terminal");
      };
    }
  }
}
