package io.plinth.platform.keys;

import java.util.Arrays;
import java.util.Optional;

/** The three kinds of key, each with the code that appears in the key's text. */
public enum KeyKind {
  /** Safe inside a client app; subject to collection rules. */
  PUBLISHABLE("pk", "publishable"),
  /** Server-side only; bypasses rules and may change collections. */
  SECRET("sk", "secret"),
  /** An operator's key for the admin API. */
  OPERATOR("ok", "operator");

  private final String code;
  private final String apiName;

  KeyKind(String code, String apiName) {
    this.code = code;
    this.apiName = apiName;
  }

  /** The two letters in {@code plinth_<code>_…}. */
  public String code() {
    return code;
  }

  /** The name used in the API and the registry: {@code publishable}, {@code secret}. */
  public String apiName() {
    return apiName;
  }

  public static Optional<KeyKind> ofCode(String code) {
    return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
  }

  public static Optional<KeyKind> ofApiName(String name) {
    return Arrays.stream(values()).filter(k -> k.apiName.equals(name)).findFirst();
  }
}
