package io.plinth.launcher;

import io.plinth.platform.keys.ApiKeys;
import io.plinth.platform.keys.KeyKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The local platform's secrets, each made once and kept in a file only its owner may read: the
 * operator key (the control plane's bootstrap key) and the local Keycloak's administrator password.
 * Production sets PLINTH_BOOTSTRAP_OPERATOR_KEY and its own Keycloak instead.
 */
final class LocalOperatorKey {

  private LocalOperatorKey() {}

  static String readOrCreate(Path file) {
    return readOrCreate(
        file,
        () -> ApiKeys.generate(KeyKind.OPERATOR).plaintext(),
        key -> ApiKeys.parse(key).filter(k -> k.kind() == KeyKind.OPERATOR).isPresent(),
        "an operator key");
  }

  /** A random password of 24 URL-safe characters, kept in {@code file}. */
  static String password(Path file) {
    return readOrCreate(
        file,
        () -> {
          byte[] bytes = new byte[18];
          new SecureRandom().nextBytes(bytes);
          return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        },
        text -> text.length() >= 12,
        "a password");
  }

  private static String readOrCreate(
      Path file, Supplier<String> make, Predicate<String> valid, String what) {
    try {
      if (Files.exists(file)) {
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!valid.test(value)) {
          throw new IllegalStateException(file + " does not hold " + what + "; delete it");
        }
        return value;
      }
      Files.createDirectories(file.getParent());
      Path written =
          Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), make.get() + "\n");
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
