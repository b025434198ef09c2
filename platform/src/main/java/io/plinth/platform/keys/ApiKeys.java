package io.plinth.platform.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The key format of the public contract: {@code plinth_<pk|sk|ok>_<32 random base62><6 base62
 * checksum>}. The checksum (CRC-32 of everything before it) lets any node refuse a mistyped or
 * made-up key without a lookup; the random part carries 190 bits. Keys are stored only as their
 * SHA-256 hash.
 */
public final class ApiKeys {

  static final int RANDOM_LENGTH = 32;
  static final int CHECKSUM_LENGTH = 6;
  private static final String PREFIX = "plinth_";
  private static final int DISPLAY_RANDOM_CHARS = 6;
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int LENGTH = PREFIX.length() + 3 + RANDOM_LENGTH + CHECKSUM_LENGTH;

  private ApiKeys() {}

  /** A freshly generated key: its text (shown once) and what may be stored. */
  public record GeneratedKey(KeyKind kind, String plaintext, String displayPrefix, byte[] hash) {
    @Override
    public String toString() {
      return "GeneratedKey[" + kind + ", " + displayPrefix + "…]"; // never the plaintext
    }
  }

  /** A key whose format and checksum are right; it may still be unknown, revoked or expired. */
  public record WellFormedKey(KeyKind kind, byte[] hash) {}

  public static GeneratedKey generate(KeyKind kind) {
    StringBuilder key = new StringBuilder(LENGTH).append(PREFIX).append(kind.code()).append('_');
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
    }
    key.append(checksum(key));
    String text = key.toString();
    return new GeneratedKey(kind, text, displayPrefix(text), sha256(text));
  }

  /**
   * Checks the format and checksum, without any lookup.
   *
   * @return the key's kind and hash, or empty when it cannot be a Plinth key
   */
  public static Optional<WellFormedKey> parse(String text) {
    if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    if (text.charAt(PREFIX.length() + 2) != '_') {
      return Optional.empty();
    }
    Optional<KeyKind> kind = KeyKind.ofCode(text.substring(PREFIX.length(), PREFIX.length() + 2));
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    for (int i = PREFIX.length() + 3; i < LENGTH; i++) {
      if (!isBase62(text.charAt(i))) {
        return Optional.empty();
      }
    }
    int checksumStart = LENGTH - CHECKSUM_LENGTH;
    if (!checksum(text.subSequence(0, checksumStart)).equals(text.substring(checksumStart))) {
      return Optional.empty();
    }
    return Optional.of(new WellFormedKey(kind.get(), sha256(text)));
  }

  /** What may be shown of a key later: {@code plinth_pk_} and the first random characters. */
  public static String displayPrefix(String text) {
    return text.substring(0, PREFIX.length() + 3 + DISPLAY_RANDOM_CHARS);
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static String hex(byte[] hash) {
    return HexFormat.of().formatHex(hash);
  }

  private static String checksum(CharSequence body) {
    CRC32 crc = new CRC32();
    crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] out = new char[CHECKSUM_LENGTH];
    for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
      out[i] = BASE62[(int) (value % 62)];
      value /= 62;
    }
    return new String(out);
  }

  private static boolean isBase62(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
