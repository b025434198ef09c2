package io.plinth.client.typescript;

import io.plinth.client.Platform;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript SDK against the real platform: PostgreSQL, Hazelcast, a control plane and a
 * data-plane node, and Keycloak with a realm per tenant. This test makes the tenants and the end
 * user, then runs {@code npm run test:platform} (Node's test runner on test/platform/*.test.mjs)
 * with their keys in the environment; npm's output goes to the Maven log line by line, and a
 * failing npm fails this test.
 */
class TypeScriptSdkIT {

  private static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.withKeycloak();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theTypeScriptSdkPassesItsPlatformTests() throws Exception {
    Platform.TenantKeys tenant = platform.newTenant();
    Platform.EndUser user = platform.newUser(tenant, "alice");
    // The free plan's low request rate, for the SDK's handling of 429 and Retry-After.
    Platform.TenantKeys limited = platform.newTenant("free");

    NpmScript.run(
        "test:platform",
        Map.of(
            "PLINTH_URL", platform.dataPlaneUrl().toString(),
            "PLINTH_PUBLISHABLE_KEY", tenant.publishableKey(),
            "PLINTH_SECRET_KEY", tenant.secretKey(),
            "PLINTH_USER", user.username(),
            "PLINTH_PASSWORD", user.password(),
            "PLINTH_LIMITED_PUBLISHABLE_KEY", limited.publishableKey(),
            "PLINTH_LIMITED_SECRET_KEY", limited.secretKey()),
        Duration.ofMinutes(10));
  }
}
