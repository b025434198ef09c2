package io.plinth.platform.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void generatedKeysFollowTheContractFormat() {
    for (KeyKind kind : KeyKind.values()) {
      ApiKeys.GeneratedKey key = ApiKeys.generate(kind);

      assertThat(key.plaintext())
          .matches("plinth_" + kind.code() + "_[0-9A-Za-z]{" + (32 + 6) + "}");
      assertThat(key.displayPrefix()).isEqualTo(key.plaintext().substring(0, 16));
      assertThat(key.hash()).hasSize(32).isEqualTo(ApiKeys.sha256(key.plaintext()));
      assertThat(key.toString()).doesNotContain(key.plaintext().substring(16));
    }
  }

  @Test
  void aWellFormedKeyParsesToItsKindAndHash() {
    ApiKeys.GeneratedKey key = ApiKeys.generate(KeyKind.SECRET);

    ApiKeys.WellFormedKey parsed = ApiKeys.parse(key.plaintext()).orElseThrow();

    assertThat(parsed.kind()).isEqualTo(KeyKind.SECRET);
    assertThat(parsed.hash()).isEqualTo(key.hash());
  }

  @Test
  void everySingleCharacterTypoIsCaughtByTheChecksum() {
    String key = ApiKeys.generate(KeyKind.PUBLISHABLE).plaintext();
    int refused = 0;
    int tried = 0;
    for (int i = 10; i < key.length(); i++) {
      char replacement = key.charAt(i) == 'a' ? 'b' : 'a';
      String typo = key.substring(0, i) + replacement + key.substring(i + 1);
      tried++;
      if (ApiKeys.parse(typo).isEmpty()) {
        refused++;
      }
    }
    assertThat(refused).isEqualTo(tried);
  }

  @Test
  void malformedTextIsRefusedWithoutALookup() {
    String good = ApiKeys.generate(KeyKind.OPERATOR).plaintext();
    for (String bad :
        new String[] {
          null,
          "",
          "plinth_pk_",
          good.substring(1),
          good + "x",
          good.replace("plinth_ok_", "plinth_xx_"),
          good.replace("plinth_ok_", "plinthXok_"),
          good.substring(0, 20) + "!" + good.substring(21)
        }) {
      assertThat(ApiKeys.parse(bad)).as("%s", bad).isEmpty();
    }
  }

  @Test
  void keysDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(ApiKeys.generate(KeyKind.SECRET).plaintext())).isTrue();
    }
  }
}
