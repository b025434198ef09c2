package io.plinth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.config.Setting;
import io.plinth.platform.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The configuration table in {@code docs/configuration.md} lists every setting, exactly as the code
 * defines it, and nothing else.
 */
class ConfigurationDocsTest {

  static final Path PAGE = Path.of("..", "docs", "configuration.md");

  static String row(Setting<?> s) {
    String def =
        s.defaultValue() == null
            ? "per service"
            : s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
    if (s == Settings.HTTP_INSTANCES) {
      def = "number of cores";
    }
    return "| `%s` | `%s` | %s | %s |"
        .formatted(s.environmentVariable(), s.key(), def, s.description());
  }

  @Test
  void everySettingHasItsRow() throws Exception {
    String page = Files.readString(PAGE);
    List<Setting<?>> all = new ArrayList<>(Settings.ALL);
    all.addAll(io.plinth.provisioning.ProvisioningSettings.ALL);
    all.addAll(io.plinth.tenantapi.TenantApiSettings.ALL);
    all.addAll(LauncherSettings.ALL);
    List<String> expected = all.stream().map(ConfigurationDocsTest::row).toList();

    assertThat(expected)
        .as("rows of %s; the whole table should read:%n%s", PAGE, String.join("\n", expected))
        .allSatisfy(row -> assertThat(page).contains(row));
    long rowsOnPage = page.lines().filter(line -> line.startsWith("| `PLINTH_")).count();
    assertThat(rowsOnPage)
        .as(
            "rows for settings that do not exist: %s",
            page.lines()
                .filter(l -> l.startsWith("| `PLINTH_"))
                .filter(l -> !expected.contains(l))
                .collect(Collectors.joining("\n")))
        .isEqualTo(expected.size());
  }
}
