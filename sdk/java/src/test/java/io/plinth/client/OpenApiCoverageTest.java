package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every request the SDK makes goes to an operation of the data plane's OpenAPI document, with query
 * parameters it documents: an SDK call of an undocumented path or parameter fails here.
 */
class OpenApiCoverageTest {

  /** A query parameter that is not a named one must be a documented filter, {@code op.value}. */
  private static final Pattern FILTER =
      Pattern.compile("^(eq|neq|gt|gte|lt|lte|like|ilike|in|is)\\..*");

  @Test
  void everySdkCallIsDocumented() throws Exception {
    Subscription[] subscription = new Subscription[1];
    List<String> requests =
        OpenApiCoverage.requestsOf(
            "{\"items\":[],\"next\":null}",
            url ->
                subscription[0] =
                    callEverything(
                        PlinthClient.builder(url)
                            .apiKey("plinth_sk_test")
                            .retryPolicy(RetryPolicy.NONE)
                            .build()),
            request -> request.endsWith("/changes"));
    subscription[0].close();
    assertThat(requests).anyMatch(request -> request.endsWith("/changes"));
    OpenApiCoverage.assertDocumented(
        requests,
        "/openapi/tenant-api.json",
        (named, param) -> named.contains("filters") && FILTER.matcher(param.getValue()).matches());
  }

  /** Calls every method of the SDK that sends a request; answers the subscription it opened. */
  private static Subscription callEverything(PlinthClient client) {
    client.listCollections();
    client.getCollection("items");
    client.createCollection(CollectionDefinition.named("items").field("n", "integer"));
    client.patchCollection("items", Map.of("rules", Map.of("read", "public")));
    client.dropCollection("items");
    Records items = client.records("items");
    items.insert(Map.of("n", 1));
    items.insertAll(List.of(Map.of("n", 1)));
    items.get("0193");
    items.getIfChanged("0193", "\"1\"");
    items.update("0193", Map.of("n", 2), "\"1\"");
    items.delete("0193");
    items
        .query()
        .eq("n", 1)
        .in("n", 1, 2)
        .is("n", null)
        .orderDesc("n")
        .select("n")
        .limit(5)
        .countExact()
        .after("cursor")
        .page();
    client.auth().signInConfig();
    return items.subscribe(change -> {}, SubscribeOptions.defaults().lastEventId("1-1"));
  }
}
