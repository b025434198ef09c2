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

/** The README's configuration table lists every setting, exactly as the code defines it. */
class ReadmeConfigurationTableTest {

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
    String readme = Files.readString(Path.of("..", "README.md"));
    List<Setting<?>> all = new ArrayList<>(Settings.ALL);
    all.addAll(io.plinth.provisioning.ProvisioningSettings.ALL);
    all.addAll(io.plinth.tenantapi.TenantApiSettings.ALL);
    all.addAll(LauncherSettings.ALL);
    List<String> expected = all.stream().map(ReadmeConfigurationTableTest::row).toList();

    assertThat(expected)
        .as("README rows; the whole table should read:%n%s", String.join("\n", expected))
        .allSatisfy(row -> assertThat(readme).contains(row));
    long rowsInReadme = readme.lines().filter(line -> line.startsWith("| `PLINTH_")).count();
    assertThat(rowsInReadme)
        .as(
            "rows for settings that do not exist: %s",
            readme
                .lines()
                .filter(l -> l.startsWith("| `PLINTH_"))
                .filter(l -> !expected.contains(l))
                .collect(Collectors.joining("\n")))
        .isEqualTo(expected.size());
  }
}
