package io.plinth.client.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A collection's name and user fields, as {@code GET /v1/collections} lists them. */
public record CollectionSchema(String name, List<Field> fields) {

  /** A user field: its name, its type (text, integer, ...) and whether every record has a value. */
  public record Field(String name, String type, boolean required) {}

  public CollectionSchema {
    fields = List.copyOf(fields);
  }

  /** The collections of a {@code GET /v1/collections} answer. */
  public static List<CollectionSchema> fromListing(JsonNode listing) {
    List<CollectionSchema> collections = new ArrayList<>();
    for (JsonNode collection : listing.path("items")) {
      List<Field> fields = new ArrayList<>();
      for (JsonNode field : collection.path("fields")) {
        fields.add(
            new Field(
                field.path("name").asText(),
                field.path("type").asText(),
                field.path("required").asBoolean(false)));
      }
      collections.add(new CollectionSchema(collection.path("name").asText(), fields));
    }
    return collections;
  }
}
