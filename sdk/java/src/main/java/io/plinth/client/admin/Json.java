package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Reading the admin API's answers: a member that is absent or null reads as null. */
final class Json {

  private Json() {}

  static String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  static UUID uuid(JsonNode node, String name) {
    String value = text(node, name);
    return value == null ? null : UUID.fromString(value);
  }

  static OffsetDateTime time(JsonNode node, String name) {
    String value = text(node, name);
    return value == null ? null : OffsetDateTime.parse(value);
  }

  static long number(JsonNode node, String name) {
    return node.path(name).asLong();
  }

  static <T> List<T> list(JsonNode array, Function<JsonNode, T> item) {
    List<T> items = new ArrayList<>();
    array.forEach(element -> items.add(item.apply(element)));
    return List.copyOf(items);
  }

  static Optional<String> next(JsonNode page) {
    return Optional.ofNullable(text(page, "next"));
  }
}
