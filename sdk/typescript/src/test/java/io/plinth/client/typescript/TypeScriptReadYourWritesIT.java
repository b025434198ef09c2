package io.plinth.client.typescript;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.client.Platform;
import io.plinth.testing.TestReplication;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes through the TypeScript SDK: a data plane that reads from a real hot standby
 * ({@link TestReplication}), a collection made and replayed onto it, then the standby's replay
 * paused while {@code npm run test:replica} (test/replica/*.test.mjs) writes and reads through the
 * SDK; npm's output goes to the Maven log, and a failing npm fails this test.
 */
class TypeScriptReadYourWritesIT {

  private static TestReplication replication;
  private static Platform platform;

  @BeforeAll
  static void start() {
    replication = TestReplication.start();
    platform = Platform.withReplica(replication);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (replication != null) {
      replication.close();
    }
  }

  @Test
  void theTypeScriptSdkReadsItsWritesWhileTheReplicaIsHeldBehind() throws Exception {
    Platform.TenantKeys tenant = platform.newTenant();
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(platform.dataPlaneUrl().resolve("/v1/collections"))
                    .header("apikey", tenant.secretKey())
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"notes\",\"fields\":[{\"name\":\"title\",\"type\":\"text\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    replication.awaitCaughtUp();
    replication.pauseReplay();
    try {
      NpmScript.run(
          "test:replica",
          Map.of(
              "PLINTH_URL", platform.dataPlaneUrl().toString(),
              "PLINTH_SECRET_KEY", tenant.secretKey(),
              "PLINTH_COLLECTION", "notes"),
          Duration.ofMinutes(5));
    } finally {
      replication.resumeReplay();
    }
  }
}
