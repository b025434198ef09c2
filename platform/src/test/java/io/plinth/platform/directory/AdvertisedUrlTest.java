package io.plinth.platform.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdvertisedUrlTest {

  @Test
  void theConfiguredUrlWinsWithoutItsTrailingSlash() {
    assertThat(NodeDirectory.advertisedUrl("https://api-3.example.com/", "0.0.0.0", 8080))
        .isEqualTo("https://api-3.example.com");
  }

  @Test
  void otherwiseTheBindAddressAndPortWithLoopbackForAWildcard() {
    assertThat(NodeDirectory.advertisedUrl("", "0.0.0.0", 8080)).isEqualTo("http://127.0.0.1:8080");
    assertThat(NodeDirectory.advertisedUrl("", "10.1.2.3", 8081)).isEqualTo("http://10.1.2.3:8081");
    assertThat(NodeDirectory.advertisedUrl("", "::1", 8081)).isEqualTo("http://[::1]:8081");
  }
}
