package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record as stored, with the {@code ETag} of its version (null when the answer had none), to send
 * back in {@code If-None-Match} or {@code If-Match}.
 */
public record Record(JsonNode body, String etag) {

  public String id() {
    return body.path("id").asText(null);
  }

  public long version() {
    return body.path("version").asLong();
  }

  public JsonNode get(String field) {
    return body.get(field);
  }
}
