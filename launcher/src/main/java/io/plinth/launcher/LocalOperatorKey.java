package io.plinth.launcher;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The local platform's operator key: made once, kept in a file only its owner may read, and given
 * to the control plane as its bootstrap key. Production sets PLINTH_BOOTSTRAP_OPERATOR_KEY instead.
 */
final class LocalOperatorKey {

  private LocalOperatorKey() {}

  static String readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (ApiKeys.parse(key).filter(k -> k.kind() == KeyKind.OPERATOR).isEmpty()) {
          throw new IllegalStateException(file + " does not hold an operator key; delete it");
        }
        return key;
      }
      Files.createDirectories(file.getParent());
      String key = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
      Path written =
          Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), key + "\n");
      try {
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the folder's own protection applies
      }
      return Files.readString(Files.move(written, file)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
