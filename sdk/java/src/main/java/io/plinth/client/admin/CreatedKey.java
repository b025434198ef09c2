package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** A key just issued, with its plaintext: shown only in this answer, keep it somewhere safe. */
public record CreatedKey(ApiKey key, String plaintext) {

  static CreatedKey from(JsonNode node) {
    return new CreatedKey(ApiKey.from(node), Json.text(node, "key"));
  }

  /** The plaintext stays out of logs. */
  @Override
  public String toString() {
    return "CreatedKey[key=" + key + ", plaintext=(hidden)]";
  }
}
