package io.plinth.bench.dataplane;

import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.BenchPlatform;
import io.plinth.bench.run.PlatformHttp;
import io.plinth.bench.run.Progress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The data-plane bench's tenants, set up over HTTP: each on plan internal (no rate limit), with a
 * collection {@code items} of records like a shop's (title, indexed price, quantity, unique sku).
 */
final class BenchTenants {

  static final String RECORDS = "/v1/collections/items/records";

  /** Records of the main tenant. */
  static final int SEED = 10_000;

  private static final int SEED_BATCH = 1_000;

  /** A tenant of the bench: its secret key and the ids of its seeded records. */
  record BenchTenant(String secretKey, List<String> ids) {}

  private final PlatformHttp http;
  private final AdminApi admin;
  private final BenchPlatform platform;
  private final AtomicLong sku = new AtomicLong();
  private final Map<String, String> keys = new ConcurrentHashMap<>();

  BenchTenants(PlatformHttp http, AdminApi admin, BenchPlatform platform) {
    this.http = http;
    this.admin = admin;
    this.platform = platform;
  }

  /** A tenant with {@value #SEED} records, its progress shown. */
  BenchTenant setUp(String slug) {
    create(slug, true);
    return fill(slug, SEED, true);
  }

  /** Creates a tenant on plan internal (no rate limit) and remembers its secret key. */
  void create(String slug, boolean announce) {
    say(announce).accept("creating tenant " + slug + " (plan internal: no rate limit)");
    JsonObject created = admin.createdTenant(slug, "Data-plane bench", "internal");
    keys.put(slug, AdminApi.key(created, "secret"));
  }

  /** Gives a created tenant collection {@code items} with {@code records} records. */
  BenchTenant fill(String slug, int records, boolean announce) {
    Consumer<String> say = say(announce);
    String key = keys.get(slug);

    say.accept("creating collection items");
    JsonObject collection =
        new JsonObject()
            .put("name", "items")
            .put(
                "fields",
                new JsonArray()
                    .add(field("title", "text").put("required", true))
                    .add(field("price", "number").put("indexed", true))
                    .add(field("qty", "integer"))
                    .add(field("sku", "text").put("unique", true)))
            .put("rules", new JsonObject().put("read", "public").put("write", "secret"));
    post(key, "/v1/collections", collection.encode());

    say.accept("seeding " + records + " records in batches of up to " + SEED_BATCH);
    List<String> seeded = new ArrayList<>();
    while (seeded.size() < records) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < Math.min(SEED_BATCH, records - seeded.size()); i++) {
        batch.add(record());
      }
      for (Object item : new JsonArray(post(key, RECORDS, batch.encode()))) {
        seeded.add(((JsonObject) item).getString("id"));
      }
    }
    return new BenchTenant(key, seeded);
  }

  /** GET {@code path} of the data plane with the key, which must answer 200; the body. */
  String get(String key, String path) {
    return http.expect(
        200, HttpRequest.newBuilder(URI.create(dataUrl(path))).header("apikey", key).GET());
  }

  private String post(String key, String path, String json) {
    return http.expect(
        201,
        HttpRequest.newBuilder(URI.create(dataUrl(path)))
            .header("apikey", key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private String dataUrl(String path) {
    return platform.dataPlaneUrl() + path;
  }

  private JsonObject record() {
    long n = sku.incrementAndGet();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new JsonObject()
        .put("title", "Bench item " + n)
        .put("price", Math.round(random.nextDouble(0, 100) * 100) / 100.0)
        .put("qty", random.nextInt(1000))
        .put("sku", "sku-" + n);
  }

  private static JsonObject field(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  private static Consumer<String> say(boolean announce) {
    return announce ? Progress::say : m -> {};
  }
}
