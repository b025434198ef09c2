package io.plinth.testing;

/** Keys for tests that need a wrong one. */
public final class TestKeys {

  private TestKeys() {}

  /**
   * {@code key} with the character at {@code index} changed, never to itself: a fixed replacement
   * leaves the key valid whenever it already holds that character (1 run in 62).
   */
  public static String withOneCharacterChanged(String key, int index) {
    char replacement = key.charAt(index) == 'x' ? 'y' : 'x';
    return key.substring(0, index) + replacement + key.substring(index + 1);
  }
}
