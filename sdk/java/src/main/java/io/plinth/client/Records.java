package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The records of one collection. */
public final class Records {

  private final PlinthClient client;
  private final String collectionPath;

  Records(PlinthClient client, String collectionPath) {
    this.client = client;
    this.collectionPath = collectionPath;
  }

  /** Inserts one record. Not retried: a repeat could insert it twice. */
  public Record insert(Map<String, ?> fields) {
    return insertOne(fields, null);
  }

  /**
   * Inserts one record with an {@code Idempotency-Key}, which makes it safe to retry on 429 and
   * 503: the platform answers a repeat with the first insert's result.
   */
  public Record insert(Map<String, ?> fields, String idempotencyKey) {
    return insertOne(fields, idempotencyKey);
  }

  private Record insertOne(Map<String, ?> fields, String idempotencyKey) {
    PlinthClient.Call call =
        PlinthClient.Call.of("POST", recordsPath()).withBody(client.json.valueToTree(fields));
    if (idempotencyKey != null) {
      call = call.withHeader("Idempotency-Key", idempotencyKey);
    }
    return record(client.send(call));
  }

  /** Inserts up to 1,000 records, all or none. */
  public List<JsonNode> insertAll(List<? extends Map<String, ?>> batch) {
    ArrayNode body = client.json.valueToTree(batch);
    JsonNode inserted =
        client.send(PlinthClient.Call.of("POST", recordsPath()).withBody(body)).body();
    List<JsonNode> records = new ArrayList<>();
    inserted.forEach(records::add);
    return records;
  }

  public Record get(String id) {
    return record(client.send(PlinthClient.Call.of("GET", recordPath(id))));
  }

  /**
   * The record if it changed since the version {@code etag} names; empty when it did not (304), so
   * a cached copy can be kept.
   */
  public Optional<Record> getIfChanged(String id, String etag) {
    PlinthClient.Reply reply =
        client.send(PlinthClient.Call.of("GET", recordPath(id)).withHeader("If-None-Match", etag));
    return reply.status() == 304 ? Optional.empty() : Optional.of(record(reply));
  }

  /** Merges {@code fields} into the record, whatever its version. */
  public Record update(String id, Map<String, ?> fields) {
    return record(client.send(patch(id, fields)));
  }

  /**
   * Merges {@code fields} only if the record is still at the version {@code etag} names.
   *
   * @throws PlinthConflictException when someone changed it since (412)
   */
  public Record update(String id, Map<String, ?> fields, String etag) {
    return record(client.send(patch(id, fields).withHeader("If-Match", etag)));
  }

  private PlinthClient.Call patch(String id, Map<String, ?> fields) {
    return PlinthClient.Call.of("PATCH", recordPath(id)).withBody(client.json.valueToTree(fields));
  }

  public void delete(String id) {
    client.send(PlinthClient.Call.of("DELETE", recordPath(id)));
  }

  /**
   * A query of this collection, run by {@link Query#page()}, {@link Query#stream()} and the like.
   */
  public Query query() {
    return new Query(this::fetchPage);
  }

  private Page fetchPage(String queryString) {
    JsonNode body =
        client
            .send(
                PlinthClient.Call.of(
                    "GET", recordsPath() + (queryString.isEmpty() ? "" : "?" + queryString)))
            .body();
    List<JsonNode> items = new ArrayList<>();
    body.path("items").forEach(items::add);
    JsonNode next = body.get("next");
    JsonNode total = body.get("total");
    return new Page(
        List.copyOf(items),
        next == null || next.isNull() ? Optional.empty() : Optional.of(next.asText()),
        total == null || total.isNull()
            ? java.util.OptionalLong.empty()
            : java.util.OptionalLong.of(total.asLong()));
  }

  /**
   * Subscribes to the collection's changes from now on (or after {@link
   * SubscribeOptions#lastEventId}); {@code onChange} is called on the subscription's own thread,
   * one change at a time, in order. See {@link Subscription}.
   */
  public Subscription subscribe(Consumer<Change> onChange, SubscribeOptions options) {
    return Subscription.start(client, collectionPath + "/changes", onChange, options);
  }

  /** {@link #subscribe(Consumer, SubscribeOptions)} with {@link SubscribeOptions#defaults()}. */
  public Subscription subscribe(Consumer<Change> onChange) {
    return subscribe(onChange, SubscribeOptions.defaults());
  }

  private static Record record(PlinthClient.Reply reply) {
    return new Record(reply.body(), reply.headers().firstValue("ETag").orElse(null));
  }

  private String recordsPath() {
    return collectionPath + "/records";
  }

  private String recordPath(String id) {
    return recordsPath() + "/" + PlinthClient.encodePathSegment(id);
  }
}
