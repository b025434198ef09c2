package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A fleet migration run's progress: of {@code total} tenants, {@code done}, {@code failed} and
 * {@code pending} (pending or running); up to 100 failures with their errors.
 */
public record MigrationRun(
    UUID id,
    String status,
    int parallelism,
    OffsetDateTime createdAt,
    OffsetDateTime finishedAt,
    long total,
    long done,
    long failed,
    long pending,
    List<Failure> failures) {

  /** A tenant the run could not migrate. */
  public record Failure(String tenant, String error) {}

  public boolean completed() {
    return "completed".equals(status);
  }

  static MigrationRun from(JsonNode node) {
    return new MigrationRun(
        Json.uuid(node, "id"),
        Json.text(node, "status"),
        (int) Json.number(node, "parallelism"),
        Json.time(node, "createdAt"),
        Json.time(node, "finishedAt"),
        Json.number(node, "total"),
        Json.number(node, "done"),
        Json.number(node, "failed"),
        Json.number(node, "pending"),
        Json.list(
            node.path("failures"),
            f -> new Failure(Json.text(f, "tenant"), Json.text(f, "error"))));
  }
}
