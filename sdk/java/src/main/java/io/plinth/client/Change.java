package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change of a collection, as its change stream sends it.
 *
 * @param eventId the event's id, the position to resume after ({@link Subscription#lastEventId()})
 * @param type {@code insert}, {@code update} or {@code delete}
 * @param collection the collection's name
 * @param recordId the id of the record that changed
 * @param version the record's version after the change; null for a delete
 * @param record the record after the change; null for a delete
 * @param data the event's whole JSON, as the platform sent it
 */
public record Change(
    String eventId,
    String type,
    String collection,
    String recordId,
    Long version,
    JsonNode record,
    JsonNode data) {

  static Change of(String eventId, String eventType, JsonNode data) {
    JsonNode record = data.get("record");
    JsonNode version = data.get("version");
    return new Change(
        eventId,
        eventType != null ? eventType : data.path("op").asText(null),
        data.path("collection").asText(null),
        data.path("id").asText(null),
        version == null || version.isNull() ? null : version.asLong(),
        record == null || record.isNull() ? null : record,
        data);
  }
}
