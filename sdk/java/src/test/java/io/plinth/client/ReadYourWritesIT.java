package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.testing.TestReplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes through the SDK against a data plane that reads from a real hot standby whose
 * replay is held behind: the app only writes and queries, and the client that wrote sees its writes
 * (it sends back the write's consistency token), while a client that wrote nothing is served by the
 * replica and does not see them yet.
 */
class ReadYourWritesIT {

  private static TestReplication replication;
  private static Platform platform;
  private static Platform.TenantKeys tenant;

  @BeforeAll
  static void start() {
    replication = TestReplication.start();
    platform = Platform.withReplica(replication);
    tenant = platform.newTenant();
    client()
        .createCollection(
            CollectionDefinition.named("notes").field("title", "text").rules("secret", "secret"));
    replication.awaitCaughtUp();
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
  void theWriterSeesItsWritesWhileTheReplicaIsHeldBehind() {
    PlinthClient writer = client();
    PlinthClient bystander = client();
    assertThat(titles(bystander)).isEmpty(); // served by the replica: it has the table
    replication.pauseReplay();
    try {
      Record note = writer.records("notes").insert(Map.of("title", "mine"));
      assertThat(titles(writer)).as("the writer's own query").containsExactly("mine");
      assertThat(titles(bystander))
          .as("a client without the token, served by the replica that has not replayed the write")
          .isEmpty();

      writer.records("notes").update(note.id(), Map.of("title", "mine, changed"));
      assertThat(titles(writer)).containsExactly("mine, changed");
    } finally {
      replication.resumeReplay();
    }
    assertThat(titles(bystander)).as("once replayed").containsExactly("mine, changed");
  }

  private static PlinthClient client() {
    return PlinthClient.builder(platform.dataPlaneUrl())
        .apiKey(tenant.secretKey())
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  private static List<String> titles(PlinthClient client) {
    return StreamSupport.stream(client.records("notes").query().spliterator(), false)
        .map(record -> record.path("title").asText())
        .toList();
  }
}
