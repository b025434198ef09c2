package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK against a real control plane and data-plane node. */
class PlinthClientIT {

  private static Platform platform;
  private static PlinthClient client;

  @BeforeAll
  static void start() {
    platform = new Platform();
    Platform.TenantKeys tenant = platform.newTenant();
    client =
        PlinthClient.builder(platform.dataPlaneUrl())
            .apiKey(tenant.secretKey())
            .timeout(Duration.ofSeconds(20))
            .build();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aRecordLivesAndAStaleUpdateIsAConflict() {
    client.createCollection(
        CollectionDefinition.named("notes")
            .field(CollectionDefinition.Field.of("title", "text").asRequired())
            .field("stars", "integer")
            .rules("secret", "secret"));
    assertThat(client.getCollection("notes").path("name").asText()).isEqualTo("notes");
    assertThat(client.listCollections().toString()).contains("notes");

    Records notes = client.records("notes");
    Record inserted = notes.insert(Map.of("title", "first", "stars", 1));
    assertThat(inserted.etag()).isNotNull();

    Record read = notes.get(inserted.id());
    assertThat(read.get("title").asText()).isEqualTo("first");
    assertThat(notes.getIfChanged(inserted.id(), read.etag())).as("304").isEmpty();

    Record updated = notes.update(inserted.id(), Map.of("stars", 2), read.etag());
    assertThat(updated.version()).isGreaterThan(read.version());
    assertThat(notes.getIfChanged(inserted.id(), read.etag())).isPresent();

    assertThatThrownBy(() -> notes.update(inserted.id(), Map.of("stars", 3), read.etag()))
        .isInstanceOfSatisfying(
            PlinthConflictException.class,
            e -> {
              assertThat(e.status()).isEqualTo(412);
              assertThat(e.code()).isEqualTo("version_mismatch");
              assertThat(e.requestId()).isNotBlank();
            });

    notes.delete(inserted.id());
    assertThatThrownBy(() -> notes.get(inserted.id()))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.isNotFound()).isTrue());

    client.patchCollection("notes", Map.of("rules", Map.of("read", "public")));
    client.dropCollection("notes");
    assertThatThrownBy(() -> client.getCollection("notes"))
        .isInstanceOfSatisfying(PlinthException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void aQueryWithSeveralOperatorsAndAPaginatedScan() {
    client.createCollection(
        CollectionDefinition.named("items").field("n", "integer").field("label", "text"));
    Records items = client.records("items");
    List<Map<String, Object>> batch =
        IntStream.range(0, 120)
            .mapToObj(
                n -> Map.<String, Object>of("n", n, "label", (n % 2 == 0 ? "Even-" : "odd-") + n))
            .collect(Collectors.toList());
    assertThat(items.insertAll(batch)).hasSize(120);

    Page page =
        items
            .query()
            .gte("n", 10)
            .lt("n", 30)
            .ilike("label", "even-*")
            .neq("n", 12)
            .orderDesc("n")
            .select("n")
            .countExact()
            .page();
    assertThat(page.items()).extracting(r -> r.get("n").asInt()).startsWith(28, 26, 24);
    assertThat(page.items()).hasSize(9);
    assertThat(page.total()).hasValue(9);
    assertThat(page.items().get(0).has("label")).as("select").isFalse();

    assertThat(items.query().in("n", 1, 2, 3).page().items()).hasSize(3);
    assertThat(items.query().is("label", null).page().items()).isEmpty();

    Set<Integer> seen = new HashSet<>();
    List<Integer> scanned =
        items.query().orderAsc("n").limit(25).stream()
            .map(JsonNode.class::cast)
            .map(r -> r.get("n").asInt())
            .peek(seen::add)
            .toList();
    assertThat(scanned).isEqualTo(IntStream.range(0, 120).boxed().toList());
    assertThat(seen).hasSize(120);
  }
}
